/**
 * `platform: douyin`: the source factory and the replay decoder (loaded by the plugin).
 */
import { z } from 'zod';
import type { Source } from '../../src/core/source.js';
import { followingSource, probeConnector, type LifecyclePolicy } from '../kit/lifecycle.js';
import { sourceIdentity, type KitDeps, type ProbeResult, type ReplaySupport } from '../kit/plugin.js';
import { SourceShell } from '../kit/shell.js';
import { DOUYIN_DEFAULTS, DOUYIN_NAMING, type DouyinSourceConfig } from './config.js';
import { DouyinConnector } from './connector.js';
import { DouyinFrames } from './frame-processor.js';
import { GiftTable } from './gift-table.js';

const DEFAULTS = {
  /** Sessions in a row without a frame before the room is resolved again. */
  recheckAfterFailures: 4,
} as const;

/** How a Douyin source paces itself, from its config. */
export function douyinPolicy(config: DouyinSourceConfig): LifecyclePolicy {
  return {
    backoff: { baseMs: config.reconnect_base_ms, maxMs: config.reconnect_max_ms },
    slowRetryMs: config.blocked_retry_ms,
    pollMs: config.status_poll_ms,
    minPollMs: DOUYIN_DEFAULTS.minStatusPollMs,
    recheckAfterFailures: DEFAULTS.recheckAfterFailures,
  };
}

/** Source factory for `platform: douyin`. */
export function create(config: DouyinSourceConfig, deps: KitDeps): Source {
  return followingSource(DOUYIN_NAMING, config, deps, (shell) => new DouyinConnector(config, shell), douyinPolicy(config));
}

/** `check --online`: the web_rid resolved once, as the source does (live page, web/enter); nothing connected. */
export async function probe(config: DouyinSourceConfig, deps: KitDeps, signal: AbortSignal): Promise<ProbeResult> {
  const shell = new SourceShell({ identity: sourceIdentity(DOUYIN_NAMING, config), deps });
  const connector = new DouyinConnector(config, shell);
  return probeConnector(connector, signal, ({ room }) => `room ${room.roomId} "${room.title}" by ${room.anchorName}`);
}

/** Recorded Douyin frames are decoded by the same codec and route table as live ones. */
export const replay: ReplaySupport<{ gift_names: Record<string, string> }> = {
  options: z.object({ gift_names: z.record(z.string(), z.string()).default({}) }),
  decoder(options, ctx) {
    const mapping = { source: ctx.source, giftTable: new GiftTable(options.gift_names), now: ctx.now };
    const frames = new DouyinFrames();
    return (frame) => {
      if (frame.type === 'text') {
        ctx.discards.report('text_frame', Buffer.from(frame.text.slice(0, 512), 'utf8'));
        return { events: [] };
      }
      const result = frames.process(frame.bytes, mapping, ctx.discards);
      return result.liveEnded
        ? { events: result.events, ended: 'the capture recorded the end of the broadcast' }
        : { events: result.events };
    };
  },
};
