/**
 * What the bridge remembers about one broadcast across its reconnects: the last viewer count
 * reported (counts are sent only when they change), the feed ids already reported (a reconnect
 * pushes recent feeds again), and the combos already counted as unpriced. Bounded: the oldest
 * entries are forgotten first.
 */

/** An insertion-ordered set that forgets its oldest entries beyond `capacity`. */
class RecentSet {
  readonly #items = new Set<string>();
  readonly #capacity: number;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  /** True when `key` was not in the set (it is now). */
  add(key: string): boolean {
    if (this.#items.has(key)) return false;
    this.#items.add(key);
    if (this.#items.size > this.#capacity) {
      const oldest = this.#items.values().next();
      if (!oldest.done) this.#items.delete(oldest.value);
    }
    return true;
  }

  get size(): number {
    return this.#items.size;
  }
}

/** How many feed ids and combo keys a broadcast remembers. */
export const ROOM_MEMORY = { feedIds: 20_000, combos: 5_000 } as const;

/** One broadcast's running state. */
export class RoomState {
  readonly liveStreamId: string;
  #viewers: number | undefined;
  readonly #feeds = new RecentSet(ROOM_MEMORY.feedIds);
  readonly #combos = new RecentSet(ROOM_MEMORY.combos);

  constructor(liveStreamId: string) {
    this.liveStreamId = liveStreamId;
  }

  /** True the first time a feed id is seen in this broadcast. */
  firstSighting(feedId: string): boolean {
    return this.#feeds.add(feedId);
  }

  /** True the first time a combo (mergeKey) is seen. */
  firstOfCombo(key: string): boolean {
    return this.#combos.add(key);
  }

  /** True when `count` differs from the last count reported (which it becomes). */
  viewersChanged(count: number): boolean {
    if (this.#viewers === count) return false;
    this.#viewers = count;
    return true;
  }
}
