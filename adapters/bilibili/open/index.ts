/**
 * `platform: bilibili-open`: the source factory of the official open platform (loaded by the plugin).
 */
import type { Source } from '../../../src/core/source.js';
import type { KitDeps } from '../../kit/plugin.js';
import type { BilibiliOpenSourceConfig } from '../config.js';
import { BilibiliOpenSource } from './source.js';

/** Source factory for `platform: bilibili-open` (the official 直播开放平台). */
export function create(config: BilibiliOpenSourceConfig, deps: KitDeps): Source {
  return new BilibiliOpenSource(config, deps);
}
