/**
 * A bounded set of recently seen keys: the same Douyin message reaches the tab by push and by
 * im/fetch (and again after a reload); one source must emit it once.
 */

/** Remembers the last `capacity` keys; the oldest is forgotten first. */
export class RecentKeys {
  readonly #capacity: number;
  readonly #keys = new Set<string>();

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('capacity must be a positive integer');
    this.#capacity = capacity;
  }

  /** Adds `key`; false when it was already there (a duplicate). */
  add(key: string): boolean {
    if (this.#keys.has(key)) return false;
    this.#keys.add(key);
    if (this.#keys.size > this.#capacity) {
      // A Set iterates in insertion order: the first key is the oldest.
      const oldest = this.#keys.values().next().value as string;
      this.#keys.delete(oldest);
    }
    return true;
  }

  get size(): number {
    return this.#keys.size;
  }
}
