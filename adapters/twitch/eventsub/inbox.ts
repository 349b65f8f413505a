/**
 * What each EventSub frame means for the source, across every socket of its life: at-least-once
 * delivery deduplicated on `message_id` (a notification can come again on the socket that
 * replaced one), notifications older than the configured age dropped, revocations turned into
 * a refusal with the reason. The sockets and the Helix calls are the connector's.
 */
import { TtlSet } from '../../../src/core/ttl-set.js';
import type { EventSubFrame, EventSubSession } from './messages.js';
import { mapNotification, type EventSubMapResult, type EventSubMappingContext } from './mapping.js';

const DEFAULTS = { maxRemembered: 20_000 } as const;

/** What a frame asks of the connector. */
export type InboxOutcome =
  | { kind: 'welcome'; session: EventSubSession }
  | { kind: 'keepalive' }
  | { kind: 'reconnect'; url: string }
  | ({ kind: 'notification' } & EventSubMapResult)
  | { kind: 'duplicate' }
  | { kind: 'stale'; ageMs: number }
  | { kind: 'revoked'; reason: string }
  | { kind: 'ignored'; messageType: string };

/** The memory of one EventSub source. */
export class EventSubInbox {
  readonly #seen: TtlSet;
  readonly #maxAgeMs: number;
  readonly #ctx: EventSubMappingContext;

  constructor(options: { maxAgeMs: number; ctx: EventSubMappingContext }) {
    this.#maxAgeMs = options.maxAgeMs;
    // A message older than the age limit is dropped anyway, so its id need not be kept longer.
    this.#seen = new TtlSet(DEFAULTS.maxRemembered, options.maxAgeMs * 2);
    this.#ctx = options.ctx;
  }

  /** Interprets one parsed frame at receive time `now`. */
  accept(frame: EventSubFrame, now: number): InboxOutcome {
    switch (frame.type) {
      case 'welcome':
        return { kind: 'welcome', session: frame.session };
      case 'keepalive':
        return { kind: 'keepalive' };
      case 'reconnect':
        return { kind: 'reconnect', url: frame.url };
      case 'revocation':
        return { kind: 'revoked', reason: `twitch revoked the ${frame.subscriptionType} subscription (${frame.status})` };
      case 'unknown':
        return { kind: 'ignored', messageType: frame.messageType };
      case 'notification': {
        if (this.#seen.has(frame.id, now)) return { kind: 'duplicate' };
        this.#seen.add(frame.id, now);
        const ageMs = now - frame.at;
        if (ageMs > this.#maxAgeMs) return { kind: 'stale', ageMs };
        return {
          kind: 'notification',
          ...mapNotification(frame.subscriptionType, frame.events, { id: frame.id, at: frame.at }, this.#ctx),
        };
      }
    }
  }
}
