/**
 * `platform: douyin-browser`: the source factory, the replay decoder, and the profile check.
 * Importing this module does not load playwright-core; starting a source does.
 */
import type { Source } from '../../src/core/source.js';
import { followingSource, type LifecyclePolicy } from '../kit/lifecycle.js';
import { webRidFrom } from '../douyin/config.js';
import { DOUYIN_BROWSER_NAMING, type DouyinBrowserSourceConfig } from './config.js';
import { BrowserConnector, type DouyinBrowserDeps } from './connector.js';

export type { DouyinBrowserDeps } from './connector.js';
export { describeProfile, profileDirFor, type ProfileDescription } from './profile.js';
/** Push frames a browser source records are Douyin's PushFrames: they replay through its decoder. */
export { replay } from '../douyin/index.js';

/** How a browser source paces its relaunches, from its config; resolving is trivial, so never "again". */
export function browserPolicy(config: DouyinBrowserSourceConfig): LifecyclePolicy {
  return {
    backoff: { baseMs: config.relaunch_base_ms, maxMs: config.relaunch_max_ms },
    slowRetryMs: config.blocked_retry_ms,
    pollMs: config.blocked_retry_ms,
    recheckAfterFailures: Number.POSITIVE_INFINITY,
  };
}

/** Source factory for `platform: douyin-browser`. */
export function create(config: DouyinBrowserSourceConfig, deps: DouyinBrowserDeps): Source {
  if (!webRidFrom(config.room)) throw new TypeError(`douyin-browser: room "${config.room}" is neither a web_rid nor a live.douyin.com URL`);
  return followingSource(DOUYIN_BROWSER_NAMING, config, deps, (shell) => new BrowserConnector(config, shell, deps), browserPolicy(config), {
    wire: 'douyin',
  });
}
