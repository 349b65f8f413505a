/**
 * `platform: douyin`: the source factory, and the codec/mapping API shared with other sources.
 */
import type { Source } from '../../src/core/source.js';
import type { DouyinSourceConfig } from './config.js';
import { DouyinSource, type DouyinSourceDeps } from './source.js';

export type { DouyinSourceDeps } from './source.js';
export type { SocketFactory } from './session.js';

/** Source factory for `platform: douyin`. */
export function createDouyinSource(config: DouyinSourceConfig, deps: DouyinSourceDeps): Source {
  return new DouyinSource(config, deps);
}
