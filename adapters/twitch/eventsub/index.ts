/**
 * `platform: twitch-eventsub`: the source factory, its `check --online` probe and the replay
 * decoder (loaded by the plugin).
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
import { EventSubReplayOptionsSchema, TWITCH_EVENTSUB_NAMING, type TwitchEventSubSourceConfig } from '../config.js';
import { TwitchEventSubConnector } from './connector.js';
import { EventSubInbox } from './inbox.js';
import { parseEventSubFrame } from './messages.js';
import { probeEventSub } from './probe.js';
import { scopesFor } from './subscriptions.js';

const DEFAULTS = {
  recheckAfterFailures: 3,
  /** An unknown login is looked up again this often. */
  pollMs: 300_000,
} as const;

/** How an EventSub source paces itself. */
export function eventSubPolicy(config: TwitchEventSubSourceConfig): LifecyclePolicy {
  return {
    backoff: { baseMs: config.reconnect_base_ms, maxMs: config.reconnect_max_ms },
    slowRetryMs: config.blocked_retry_ms,
    pollMs: DEFAULTS.pollMs,
    recheckAfterFailures: DEFAULTS.recheckAfterFailures,
  };
}

/** Source factory for `platform: twitch-eventsub`. */
export function create(config: TwitchEventSubSourceConfig, deps: KitDeps): Source {
  return followingSource(
    TWITCH_EVENTSUB_NAMING,
    config,
    deps,
    (shell) => {
      shell.logger.info('eventsub source configured', { events: config.events.join(','), scopes: scopesFor(config.events).join(' ') });
      return new TwitchEventSubConnector(config, shell);
    },
    eventSubPolicy(config),
    { wire: 'twitch eventsub' },
  );
}

/** `check --online`: the token (valid, this client id, the scopes the events need), the channel and its stream; no socket. */
export async function probe(config: TwitchEventSubSourceConfig, deps: KitDeps, signal: AbortSignal): Promise<ProbeResult> {
  return probeEventSub(config, new SourceShell({ identity: sourceIdentity(TWITCH_EVENTSUB_NAMING, config), deps }), signal);
}

/**
 * Recorded EventSub frames go through the same inbox and route table (no age limit: a capture is
 * old by nature). `options` are the section's money keys (`bits_value`, `gift_sub_values`).
 */
export const replay: ReplaySupport<z.infer<typeof EventSubReplayOptionsSchema>> = {
  options: EventSubReplayOptionsSchema,
  decoder(options, ctx) {
    const inbox = new EventSubInbox({
      maxAgeMs: Number.POSITIVE_INFINITY,
      ctx: { source: ctx.source, bitsValue: options.bits_value, subValues: options.gift_sub_values },
    });
    return (frame) => {
      if (frame.type === 'binary') {
        ctx.discards.report('binary_frame', frame.bytes);
        return { events: [] };
      }
      const parsed = parseEventSubFrame(frame.text);
      if (!parsed.ok) {
        ctx.discards.report(parsed.problem, Buffer.from(frame.text.slice(0, 512)));
        return { events: [] };
      }
      const outcome = inbox.accept(parsed.frame, ctx.now());
      if (outcome.kind !== 'notification') return { events: [] };
      const events: BridgeEvent[] = outcome.events;
      return outcome.stream?.state === 'ended' ? { events, ended: outcome.stream.reason } : { events };
    };
  },
};
