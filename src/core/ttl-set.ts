/**
 * A bounded set of keys that expire: the memory of dedupe, closed streaks, spam and replayed ids.
 * Two generations (key → time added): new keys go into the current one; when it holds
 * `maxEntries` keys or has been current for `ttlMs`, it becomes the previous one and the old
 * previous is dropped whole. So at least the newest `maxEntries` keys within the TTL are always
 * remembered, at most twice that are held, and the hot path is two lookups and one insert, with
 * no per-key eviction work (this runs for every event).
 *
 * A generation is an open-addressing table in typed arrays (our own hash of the key, the time as
 * an offset from when the generation became current) with the keys beside them, not a Map: at
 * the dedupe's 100 000 keys a Map lookup is mostly cache misses into its buckets and entries,
 * the table grows by copying a third of its size in pointers, and an epoch time in a Map is a
 * heap number per key; here a miss is read in the hash array alone, the key strings are compared
 * only when the hashes match, and nothing is allocated per key.
 */

/** One generation: linear probing over a power-of-two table, at most half full, never a deletion. */
class Generation {
  /** Our hash of the key in each slot; 0 marks an empty slot (hashes are made odd). */
  #hashes: Int32Array;
  #offsets: Float64Array;
  #keys: (string | undefined)[];
  #mask: number;
  size = 0;
  /** When this generation became current (its offsets count from here). */
  since = 0;

  constructor(capacity: number) {
    this.#hashes = new Int32Array(capacity);
    this.#offsets = new Float64Array(capacity);
    this.#keys = new Array<string | undefined>(capacity).fill(undefined);
    this.#mask = capacity - 1;
  }

  /** The slot holding `key`, or -1. */
  find(key: string, hash: number): number {
    const hashes = this.#hashes;
    const mask = this.#mask;
    for (let i = hash & mask; ; i = (i + 1) & mask) {
      const h = hashes[i]!;
      if (h === 0) return -1;
      if (h === hash && this.#keys[i] === key) return i;
    }
  }

  /** The time added of the key in `slot`. */
  at(slot: number): number {
    return this.since + this.#offsets[slot]!;
  }

  /** Sets the time of the key in `slot`. */
  touch(slot: number, now: number): void {
    this.#offsets[slot] = now - this.since;
  }

  /** Inserts a key known to be absent. */
  insert(key: string, hash: number, now: number): void {
    if ((this.size + 1) * 2 > this.#hashes.length) this.#grow();
    const slot = this.#free(hash);
    this.#hashes[slot] = hash;
    this.#keys[slot] = key;
    this.#offsets[slot] = now - this.since;
    this.size += 1;
  }

  /** Empties the generation for reuse, keeping its arrays (their size is what the last one needed). */
  reset(since: number): void {
    if (this.size > 0) {
      this.#hashes.fill(0);
      this.#keys.fill(undefined);
      this.size = 0;
    }
    this.since = since;
  }

  #free(hash: number): number {
    const mask = this.#mask;
    let i = hash & mask;
    while (this.#hashes[i] !== 0) i = (i + 1) & mask;
    return i;
  }

  #grow(): void {
    const hashes = this.#hashes;
    const offsets = this.#offsets;
    const keys = this.#keys;
    const capacity = hashes.length * 2;
    this.#hashes = new Int32Array(capacity);
    this.#offsets = new Float64Array(capacity);
    this.#keys = new Array<string | undefined>(capacity).fill(undefined);
    this.#mask = capacity - 1;
    for (let j = 0; j < hashes.length; j++) {
      const hash = hashes[j]!;
      if (hash === 0) continue;
      const slot = this.#free(hash);
      this.#hashes[slot] = hash;
      this.#keys[slot] = keys[j];
      this.#offsets[slot] = offsets[j]!;
    }
  }
}

const DEFAULTS = {
  /** Slots of a fresh generation (a sparse set stays small). */
  initialCapacity: 64,
  /** Characters hashed at each end of a long key (spam keys carry a comment's text). */
  hashedEnds: 32,
} as const;

/**
 * FNV-1a over the key's UTF-16 units, made odd (never 0, the empty mark). A long key is hashed
 * at both ends and by its length: equal hashes are only a hint, the keys are compared anyway.
 */
function hashOf(key: string): number {
  let h = 0x811c9dc5 ^ key.length;
  const n = key.length;
  const ends = DEFAULTS.hashedEnds;
  if (n <= 2 * ends) {
    for (let i = 0; i < n; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  } else {
    for (let i = 0; i < ends; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
    for (let i = n - ends; i < n; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  }
  return h | 1;
}

/** The set described in the module comment. */
export class TtlSet {
  #current = new Generation(DEFAULTS.initialCapacity);
  #previous = new Generation(DEFAULTS.initialCapacity);
  /** Whether anything was added since the start or the last clear() (the current generation's `since` is set then). */
  #started = false;
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
    return this.#started ? this.#lookup(key, hashOf(key), now) : undefined;
  }

  /** Whether `key` was added within the TTL before `now`. */
  has(key: string, now: number): boolean {
    return this.get(key, now) !== undefined;
  }

  /** Remembers `key` as added at `now`. */
  add(key: string, now: number): void {
    this.#add(key, hashOf(key), now);
  }

  /**
   * has() then, when absent, add(): true when `key` was already there within the TTL (and is
   * left as it was), false when it is remembered now. The dedupe and spam checks in one call,
   * hashing the key once.
   */
  seen(key: string, now: number): boolean {
    const hash = hashOf(key);
    if (this.#started && this.#lookup(key, hash, now) !== undefined) return true;
    this.#add(key, hash, now);
    return false;
  }

  clear(): void {
    this.#current = new Generation(DEFAULTS.initialCapacity);
    this.#previous = new Generation(DEFAULTS.initialCapacity);
    this.#started = false;
  }

  #lookup(key: string, hash: number, now: number): number | undefined {
    let at: number;
    const slot = this.#current.find(key, hash);
    if (slot >= 0) at = this.#current.at(slot);
    else {
      const previous = this.#previous;
      if (previous.size === 0) return undefined;
      const old = previous.find(key, hash);
      if (old < 0) return undefined;
      at = previous.at(old);
    }
    return now - at >= this.#ttlMs ? undefined : at;
  }

  #add(key: string, hash: number, now: number): void {
    if (!this.#started) {
      this.#started = true;
      this.#current.since = now;
    }
    let current = this.#current;
    if (current.size >= this.#maxEntries || now - current.since >= this.#ttlMs) {
      // The old previous generation is dropped whole; its arrays become the new current one.
      const recycled = this.#previous;
      this.#previous = current;
      recycled.reset(now);
      this.#current = current = recycled;
    }
    const slot = current.find(key, hash);
    if (slot >= 0) current.touch(slot, now);
    else current.insert(key, hash, now);
  }
}
