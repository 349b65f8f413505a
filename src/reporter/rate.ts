/**
 * The request-rate limit, on the injected clock so that tests drive it by hand: a sliding log of
 * the times requests left (the sink says when: after credentials, right before the transport
 * writes), not of when their batches were formed. With a limit of r ≥ 1 requests a second, at
 * most floor(r) requests leave in any window of 1 s + margin; with r < 1, one per 1/r s + margin.
 * The margin absorbs differences in latency, so the receiver never sees more than the limit in
 * any one second (requests i and i+r leave ≥ 1 s + margin apart, and arrive ≥ 1 s apart as long
 * as their latencies differ by less than the margin).
 */

/** When the next request may leave, and recording that one did. */
export interface RateLimiter {
  /** The earliest time (≥ now) a request may leave. */
  nextAt(now: number): number;
  /** Records a request leaving at `now`. */
  record(now: number): void;
}

/** The sliding-log limiter described in the module comment. */
export class SlidingWindowLimiter implements RateLimiter {
  readonly #cap: number;
  readonly #windowMs: number;
  readonly #starts: number[] = [];

  constructor(perSecond: number, marginMs = 0) {
    this.#cap = Math.max(1, Math.floor(perSecond));
    this.#windowMs = (perSecond >= 1 ? 1000 : 1000 / perSecond) + marginMs;
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
