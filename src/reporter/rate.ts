/**
 * The request-rate limit, on the injected clock so that tests drive it by hand: a sliding log of
 * request start times. With a limit of r ≥ 1 requests a second, at most floor(r) requests start in
 * any window of one second; with r < 1, one request per 1/r seconds.
 */

/** When the next request may start, and recording that one did. */
export interface RateLimiter {
  /** The earliest time (≥ now) a request may start. */
  nextAt(now: number): number;
  /** Records a request start at `now`. */
  record(now: number): void;
}

/** The sliding-log limiter described in the module comment. */
export class SlidingWindowLimiter implements RateLimiter {
  readonly #cap: number;
  readonly #windowMs: number;
  readonly #starts: number[] = [];

  constructor(perSecond: number) {
    this.#cap = Math.max(1, Math.floor(perSecond));
    this.#windowMs = perSecond >= 1 ? 1000 : 1000 / perSecond;
  }

  nextAt(now: number): number {
    if (this.#starts.length < this.#cap) return now;
    return Math.max(now, this.#starts[0]! + this.#windowMs);
  }

  record(now: number): void {
    this.#starts.push(now);
    if (this.#starts.length > this.#cap) this.#starts.shift();
  }
}
