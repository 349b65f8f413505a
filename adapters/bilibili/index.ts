/**
 * `platform: bilibili`: the source factory of the web danmaku socket and the replay decoder
 * (loaded by the plugin).
 */
import { z } from 'zod';
import type { Source } from '../../src/core/source.js';
import { followingSource, probeConnector, type LifecyclePolicy } from '../kit/lifecycle.js';
import { sourceIdentity, type KitDeps, type ProbeResult, type ReplaySupport } from '../kit/plugin.js';
import { SourceShell } from '../kit/shell.js';
import { BILIBILI_NAMING, type BilibiliSourceConfig } from './config.js';
import { BilibiliWebConnector } from './connector.js';
import { danmakuReplay } from './replay.js';
import { mapWebCommand } from './mapping-web.js';

/** How a web source paces itself, from its config. Risk control (-352) waits the longest backoff. */
export function webPolicy(config: BilibiliSourceConfig): LifecyclePolicy {
  return {
    backoff: { baseMs: config.reconnect_base_ms, maxMs: config.reconnect_max_ms },
    slowRetryMs: config.reconnect_max_ms,
    pollMs: config.reconnect_max_ms,
    recheckAfterFailures: config.reinit_after_failures,
  };
}

/** Source factory for `platform: bilibili` (the web danmaku socket). */
export function create(config: BilibiliSourceConfig, deps: KitDeps): Source {
  return followingSource(BILIBILI_NAMING, config, deps, (shell) => new BilibiliWebConnector(config, shell), webPolicy(config));
}

/** `check --online`: nav, buvid, the room and its danmaku token, as the source resolves them; nothing connected. */
export async function probe(config: BilibiliSourceConfig, deps: KitDeps, signal: AbortSignal): Promise<ProbeResult> {
  const shell = new SourceShell({ identity: sourceIdentity(BILIBILI_NAMING, config), deps });
  return probeConnector(new BilibiliWebConnector(config, shell), signal, ({ room }) =>
    room.liveStatus === 1
      ? `room ${room.roomId} "${room.title}"`
      : { state: 'offline', reason: `room ${room.roomId} is not live (live_status ${room.liveStatus})` },
  );
}

/** Recorded web frames, decoded by the same framing and route table as live ones. */
export const replay: ReplaySupport<{ value_multiplier: number }> = {
  options: z.object({ value_multiplier: z.number().positive().max(1_000_000).default(1) }),
  decoder: (options, ctx) =>
    danmakuReplay(ctx, (cmd) => mapWebCommand(cmd, { source: ctx.source, valueMultiplier: options.value_multiplier, now: ctx.now })),
};
