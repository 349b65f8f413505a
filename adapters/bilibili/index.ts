/**
 * `platform: bilibili`: the source factory of the web danmaku socket (loaded by the plugin).
 */
import type { Source } from '../../src/core/source.js';
import type { KitDeps } from '../kit/plugin.js';
import type { BilibiliSourceConfig } from './config.js';
import { BilibiliSource } from './source.js';

/** Source factory for `platform: bilibili` (the web danmaku socket). */
export function create(config: BilibiliSourceConfig, deps: KitDeps): Source {
  return new BilibiliSource(config, deps);
}
