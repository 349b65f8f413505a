/**
 * `platform: bilibili` and `platform: bilibili-open`: the source factories.
 */
import type { Source } from '../../src/core/source.js';
import type { BilibiliOpenSourceConfig, BilibiliSourceConfig } from './config.js';
import { BilibiliOpenSource } from './open/source.js';
import { BilibiliSource, type BilibiliSourceDeps } from './source.js';

export type { BilibiliSourceDeps } from './source.js';
export type { SocketFactory } from './session.js';

/** Source factory for `platform: bilibili` (the web danmaku socket). */
export function createBilibiliSource(config: BilibiliSourceConfig, deps: BilibiliSourceDeps): Source {
  return new BilibiliSource(config, deps);
}

/** Source factory for `platform: bilibili-open` (the official 直播开放平台). */
export function createBilibiliOpenSource(config: BilibiliOpenSourceConfig, deps: BilibiliSourceDeps): Source {
  return new BilibiliOpenSource(config, deps);
}
