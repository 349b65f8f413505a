/**
 * `platform: tiktok`: the source factory and the replay decoder (loaded by the plugin).
 */
import { z } from 'zod';
import type { Source } from '../../src/core/source.js';
import { follow, SourceShell, sourceIdentity, type KitDeps, type LifecyclePolicy, type ReplaySupport } from '../kit/index.js';
import { WebcastFrames } from '../webcast/frames.js';
import { TIKTOK_DEFAULTS, type TikTokSourceConfig } from './config.js';
import { TikTokConnector } from './connector.js';
import { tiktokPlugin } from './plugin.js';
import { TIKTOK_PROTOCOL } from './protocol.js';

const DEFAULTS = {
  /** Sessions in a row without a decoded message before the handle is resolved again. */
  recheckAfterFailures: 3,
} as const;

/** How a TikTok source paces itself, from its config. */
export function tiktokPolicy(config: TikTokSourceConfig): LifecyclePolicy {
  return {
    backoff: { baseMs: config.reconnect_base_ms, maxMs: config.reconnect_max_ms },
    slowRetryMs: config.blocked_retry_ms,
    pollMs: config.status_poll_ms,
    minPollMs: TIKTOK_DEFAULTS.minStatusPollMs,
    jitter: TIKTOK_DEFAULTS.jitter,
    recheckAfterFailures: DEFAULTS.recheckAfterFailures,
  };
}

/** Source factory for `platform: tiktok`. */
export function create(config: TikTokSourceConfig, deps: KitDeps): Source {
  const shell = new SourceShell({ identity: sourceIdentity(tiktokPlugin, config), deps });
  const connector = new TikTokConnector(config, shell);
  return shell.runs((signal) => follow(shell, connector, tiktokPolicy(config), signal));
}

/** Recorded TikTok frames are decoded by the same codec and route table as live ones. */
export const replay: ReplaySupport<{ gift_names: Record<string, string> }> = {
  options: z.object({ gift_names: z.record(z.string(), z.string()).default({}) }),
  decoder(options, ctx) {
    const frames = new WebcastFrames(TIKTOK_PROTOCOL);
    const mapping = { source: ctx.source, now: ctx.now, giftNames: options.gift_names };
    return (frame) => {
      if (frame.type === 'text') {
        ctx.discards.report('text_frame', Buffer.from(frame.text.slice(0, 512), 'utf8'));
        return { events: [] };
      }
      const out = frames.process(frame.bytes, mapping, ctx.discards);
      return out.ended ? { events: out.events, ended: out.ended } : { events: out.events };
    };
  },
};
