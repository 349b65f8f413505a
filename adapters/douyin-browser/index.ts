/**
 * `platform: douyin-browser`: the source factory and the profile check. Importing this module
 * does not load playwright-core; starting a source does.
 */
import type { Source } from '../../src/core/source.js';
import type { DouyinBrowserSourceConfig } from './config.js';
import { DouyinBrowserSource, type DouyinBrowserSourceDeps } from './source.js';

export type { DouyinBrowserSourceDeps } from './source.js';
export { describeProfile, profileDirFor, type ProfileDescription } from './profile.js';

/** Source factory for `platform: douyin-browser`. */
export function create(config: DouyinBrowserSourceConfig, deps: DouyinBrowserSourceDeps): Source {
  return new DouyinBrowserSource(config, deps);
}
