/**
 * A bounded set of keys that expire: the memory of dedupe, closed streaks, spam and replayed ids.
 * Two generations of Maps (key → time added): new keys go into the current one; when it holds
 * `maxEntries` keys or has been current for `ttlMs`, it becomes the previous one and the old
 * previous is dropped whole. So at least the newest `maxEntries` keys within the TTL are always
 * remembered, at most twice that are held, and the hot path is two lookups and one insert, with
 * no per-key eviction work (this runs for every event).
 */
export class TtlSet {
  #current = new Map<string, number>();
  #previous = new Map<string, number>();
  #currentSince: number | null = null;
  readonly #maxEntries: number;
  readonly #ttlMs: number;

  constructor(maxEntries: number, ttlMs: number) {
    this.#maxEntries = Math.max(1, maxEntries);
    this.#ttlMs = ttlMs;
  }

  /** Keys held (a key re-added after a rotation counts twice until the next one). */
  get size(): number {
    return this.#current.size + this.#previous.size;
  }

  /** When `key` was last added, or undefined when it is unknown or expired at `now`. */
  get(key: string, now: number): number | undefined {
    const at = this.#current.get(key) ?? this.#previous.get(key);
    return at === undefined || now - at >= this.#ttlMs ? undefined : at;
  }

  /** Whether `key` was added within the TTL before `now`. */
  has(key: string, now: number): boolean {
    return this.get(key, now) !== undefined;
  }

  /** Remembers `key` as added at `now`. */
  add(key: string, now: number): void {
    this.#currentSince ??= now;
    if (this.#current.size >= this.#maxEntries || now - this.#currentSince >= this.#ttlMs) {
      this.#previous = this.#current;
      this.#current = new Map();
      this.#currentSince = now;
    }
    this.#current.set(key, now);
  }

  clear(): void {
    this.#current = new Map();
    this.#previous = new Map();
    this.#currentSince = null;
  }
}
