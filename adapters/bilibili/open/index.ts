/**
 * `platform: bilibili-open`: the source factory of the official open platform and the replay
 * decoder (loaded by the plugin).
 */
import { z } from 'zod';
import type { Source } from '../../../src/core/source.js';
import { followingSource, type LifecyclePolicy } from '../../kit/lifecycle.js';
import type { KitDeps, ReplaySupport } from '../../kit/plugin.js';
import { BILIBILI_OPEN_NAMING, type BilibiliOpenSourceConfig } from '../config.js';
import { danmakuReplay } from '../replay.js';
import { BilibiliOpenConnector } from './connector.js';
import { mapOpenCommand } from './mapping.js';

const DEFAULTS = {
  /** Socket failures in a row before the app is started again. */
  restartAfterFailures: 3,
} as const;

/** How an open-platform source paces itself: a refused start waits exactly start_retry_ms. */
export function openPolicy(config: BilibiliOpenSourceConfig): LifecyclePolicy {
  return {
    backoff: { baseMs: config.reconnect_base_ms, maxMs: config.reconnect_max_ms },
    slowRetryMs: config.start_retry_ms,
    pollMs: config.start_retry_ms,
    jitter: 0,
    recheckAfterFailures: DEFAULTS.restartAfterFailures,
  };
}

/** Source factory for `platform: bilibili-open` (the official 直播开放平台). */
export function create(config: BilibiliOpenSourceConfig, deps: KitDeps): Source {
  return followingSource(BILIBILI_OPEN_NAMING, config, deps, (shell) => new BilibiliOpenConnector(config, shell), openPolicy(config), {
    wire: 'bilibili',
    logFields: { app_id: config.app_id },
  });
}

/** Recorded open-platform frames, decoded by the same framing and route table as live ones. */
export const replay: ReplaySupport<{ value_multiplier: number }> = {
  options: z.object({ value_multiplier: z.number().positive().max(1_000_000).default(1) }),
  decoder: (options, ctx) =>
    danmakuReplay(ctx, (cmd) => mapOpenCommand(cmd, { source: ctx.source, valueMultiplier: options.value_multiplier, now: ctx.now }, '')),
};
