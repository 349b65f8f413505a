/**
 * `platform: twitch`: the chat source factory, its `check --online` probe and the replay decoder
 * (loaded by the plugin).
 */
import type { z } from 'zod';
import type { BridgeEvent } from '../../../src/core/events.js';
import type { Source } from '../../../src/core/source.js';
import {
  followingSource,
  type KitDeps,
  type LifecyclePolicy,
  type ProbeResult,
  type ReplaySupport,
  sourceIdentity,
  SourceShell,
} from '../../kit/index.js';
import { ChatReplayOptionsSchema, TWITCH_NAMING, type TwitchSourceConfig } from '../config.js';
import { CommunityGifts } from './community-gifts.js';
import { TwitchChatConnector } from './connector.js';
import { ChatFrameReader } from './lines.js';
import { probeChat } from './probe.js';

const DEFAULTS = {
  /** A refused token or a suspended channel does not heal by itself: look again this rarely. */
  slowRetryMs: 300_000,
  /** Resolving is free (no HTTP), so a few dead sockets in a row just start over. */
  recheckAfterFailures: 3,
  /** Unused: a chat channel is never offline (chat works whether or not the stream is live). */
  pollMs: 60_000,
} as const;

/** How a chat source paces itself. A refused login is retried slowly, not resolved again at once. */
export function chatPolicy(config: TwitchSourceConfig): LifecyclePolicy {
  return {
    backoff: { baseMs: config.reconnect_base_ms, maxMs: config.reconnect_max_ms },
    slowRetryMs: DEFAULTS.slowRetryMs,
    pollMs: DEFAULTS.pollMs,
    recheckAfterFailures: DEFAULTS.recheckAfterFailures,
    recovery: { auth_failed: 'slow_retry' },
  };
}

/** Source factory for `platform: twitch`. */
export function create(config: TwitchSourceConfig, deps: KitDeps): Source {
  return followingSource(
    TWITCH_NAMING,
    config,
    deps,
    (shell) => {
      if (config.token === '') shell.logger.info('reading chat anonymously (no token configured)');
      return new TwitchChatConnector(config, shell);
    },
    chatPolicy(config),
  );
}

/** `check --online`: logs in and joins the channel as the source would, then leaves; nothing is reported. */
export async function probe(config: TwitchSourceConfig, deps: KitDeps, signal: AbortSignal): Promise<ProbeResult> {
  return probeChat(config, new SourceShell({ identity: sourceIdentity(TWITCH_NAMING, config), deps }), signal);
}

/**
 * Recorded chat frames are read by the same parser and route table as live ones. `options` are
 * the chat section's money keys (`paid_events`, `bits_value`, `gift_sub_values`), same defaults.
 */
export const replay: ReplaySupport<z.infer<typeof ChatReplayOptionsSchema>> = {
  options: ChatReplayOptionsSchema,
  decoder(options, ctx) {
    const reader = new ChatFrameReader({
      source: ctx.source,
      now: ctx.now,
      communityGifts: new CommunityGifts(),
      paidEvents: options.paid_events,
      bitsValue: options.bits_value,
      subValues: options.gift_sub_values,
    });
    return (frame) => {
      if (frame.type === 'binary') {
        ctx.discards.report('binary_frame', frame.bytes);
        return { events: [] };
      }
      const events: BridgeEvent[] = [];
      reader.read(frame.text, {
        event: (e) => events.push(e),
        discard: (reason, sample) => ctx.discards.report(reason, Buffer.from(sample.slice(0, 512))),
      });
      return { events };
    };
  },
};
