/**
 * `platform: twitch-eventsub`: the source factory and the replay decoder (loaded by the plugin).
 */
import { z } from 'zod';
import type { BridgeEvent } from '../../../src/core/events.js';
import type { Source } from '../../../src/core/source.js';
import { follow, type KitDeps, type LifecyclePolicy, type ReplaySupport, sourceIdentity, SourceShell } from '../../kit/index.js';
import type { TwitchEventSubSourceConfig } from '../config.js';
import { twitchEventSubPlugin } from '../plugin.js';
import { TwitchEventSubConnector } from './connector.js';
import { EventSubInbox } from './inbox.js';
import { parseEventSubFrame } from './messages.js';
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
  const shell = new SourceShell({ identity: sourceIdentity(twitchEventSubPlugin, config), deps, wire: 'twitch eventsub' });
  shell.logger.info('eventsub source configured', { events: config.events.join(','), scopes: scopesFor(config.events).join(' ') });
  const connector = new TwitchEventSubConnector(config, shell);
  return shell.runs((signal) => follow(shell, connector, eventSubPolicy(config), signal));
}

const ReplayOptions = z.object({
  bits_value: z.number().int().nonnegative().default(1),
  gift_sub_values: z.record(z.string(), z.number().int().nonnegative()).default({ '1000': 500, '2000': 1000, '3000': 2500 }),
});

/** Recorded EventSub frames go through the same inbox and route table (no age limit: a capture is old by nature). */
export const replay: ReplaySupport<z.infer<typeof ReplayOptions>> = {
  options: ReplayOptions,
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
