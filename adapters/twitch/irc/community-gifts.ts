/**
 * Community (mystery) gifts, counted once. A `submysterygift` announces N gifted subs and is
 * followed by N `subgift` notices, one per recipient, that carry the same
 * `msg-param-community-gift-id` (recent ones also the same `msg-param-origin-id`). The
 * announcement is the gift; the notices that follow belong to it and are not gifts again.
 */
import { TtlSet } from '../../../src/core/ttl-set.js';

const DEFAULTS = {
  /** Twitch sends the individual notices within seconds; ten minutes covers a reconnect in between. */
  ttlMs: 10 * 60_000,
  maxEntries: 10_000,
} as const;

/** The tags that tie a subgift to its announcement. */
const LINK_TAGS = ['msg-param-community-gift-id', 'msg-param-origin-id'] as const;

/** Remembers announced community gifts across reconnects of one source. */
export class CommunityGifts {
  readonly #announced = new TtlSet(DEFAULTS.maxEntries, DEFAULTS.ttlMs);

  /** Records a `submysterygift`'s ids. */
  announce(tags: ReadonlyMap<string, string>, now: number): void {
    for (const tag of LINK_TAGS) {
      const id = tags.get(tag);
      if (id) this.#announced.add(id, now);
    }
  }

  /** Whether a `subgift` belongs to an announced community gift (and so was counted already). */
  belongsToAnnounced(tags: ReadonlyMap<string, string>, now: number): boolean {
    return LINK_TAGS.some((tag) => {
      const id = tags.get(tag);
      return id !== undefined && id !== '' && this.#announced.has(id, now);
    });
  }
}
