/**
 * Dedupe by event id across reconnects and sources: the key is platform + id, because ids are
 * unique per platform, and two sources on the same platform see the same messages.
 */
import type { BridgeEvent } from '../core/events.js';
import { TtlSet } from '../core/ttl-set.js';

/** Remembers the ids seen within `ttlMs`, at most `maxEntries` of them (oldest forgotten first). */
export class Dedupe {
  /** One set per platform, keyed by the bare id (no per-event key string to build). */
  readonly #seen = new Map<string, TtlSet>();
  readonly #maxEntries: number;
  readonly #ttlMs: number;

  constructor(maxEntries: number, ttlMs: number) {
    this.#maxEntries = maxEntries;
    this.#ttlMs = ttlMs;
  }

  /** True when the event was seen before (and is a duplicate); otherwise remembers it. */
  isDuplicate(event: Pick<BridgeEvent, 'platform' | 'id'>, now: number): boolean {
    let seen = this.#seen.get(event.platform);
    if (!seen) {
      seen = new TtlSet(this.#maxEntries, this.#ttlMs);
      this.#seen.set(event.platform, seen);
    }
    return seen.seen(event.id, now);
  }

  get size(): number {
    let size = 0;
    for (const seen of this.#seen.values()) size += seen.size;
    return size;
  }
}
