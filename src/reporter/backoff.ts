/**
 * When the next attempt may start after a failure or a pause: full-jitter exponential backoff,
 * or the server's Retry-After when it gave one.
 */
import { fullJitterBackoff } from '../core/clock.js';

const DEFAULTS = {
  /** The longest Retry-After honoured. */
  maxRetryAfterMs: 300_000,
} as const;

/** The backoff's bounds, from the `reporter:` section. */
export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
  /** A paused sink is asked again no sooner than this. */
  minPauseMs: number;
}

/** The reporter's failure and pause delays (one per reporter; not shared). */
export class Backoff {
  #failures = 0;
  #pauses = 0;
  #notBefore = 0;
  readonly #o: BackoffOptions;
  readonly #random: () => number;

  constructor(options: BackoffOptions, random: () => number) {
    this.#o = options;
    this.#random = random;
  }

  /** No attempt before this time (ms epoch; 0 when free). */
  get notBefore(): number {
    return this.#notBefore;
  }

  /** Consecutive failures so far. */
  get failures(): number {
    return this.#failures;
  }

  /** Records a failure; returns the delay until the next attempt. */
  failed(now: number, retryAfterMs?: number): number {
    this.#failures += 1;
    const delay =
      retryAfterMs !== undefined
        ? Math.min(Math.max(0, retryAfterMs), DEFAULTS.maxRetryAfterMs)
        : fullJitterBackoff(this.#failures - 1, this.#o.baseMs, this.#o.maxMs, this.#random);
    this.#notBefore = now + delay;
    return delay;
  }

  /** Records a paused answer; returns true for the first of a run of them. */
  paused(now: number): boolean {
    this.#pauses += 1;
    this.#notBefore = now + Math.max(this.#o.minPauseMs, fullJitterBackoff(this.#pauses, this.#o.baseMs, this.#o.maxMs, this.#random));
    return this.#pauses === 1;
  }

  /** The sink answered (even with a refusal): the failure streak is over. */
  answered(): void {
    this.#failures = 0;
  }

  /** A request was accepted: everything resets. */
  reset(): void {
    this.#failures = 0;
    this.#pauses = 0;
    this.#notBefore = 0;
  }
}
