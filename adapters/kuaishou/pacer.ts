/**
 * Spaces a source's calls to Kuaishou at least `minIntervalMs` apart, in call order: risk
 * control counts requests per IP, and an operator runs many rooms from one address. Time is the
 * injected clock's, so tests assert the spacing on a manual clock.
 */
import { sleep, type Clock } from '../../src/core/clock.js';

/** Hands out turns no closer than the interval. */
export class Pacer {
  readonly #clock: Clock;
  readonly #minIntervalMs: number;
  /** When the last turn was taken; -Infinity before the first. */
  #last = Number.NEGATIVE_INFINITY;
  /** The queue of waiting callers: each waits for the one before it. */
  #tail: Promise<void> = Promise.resolve();

  constructor(clock: Clock, minIntervalMs: number) {
    this.#clock = clock;
    this.#minIntervalMs = minIntervalMs;
  }

  /** Resolves when it is this caller's turn; rejects with the signal's reason when it aborts first. */
  turn(signal?: AbortSignal): Promise<void> {
    const mine = this.#tail.then(async () => {
      const wait = this.#last + this.#minIntervalMs - this.#clock.now();
      if (wait > 0) await sleep(this.#clock, wait, signal);
      else if (signal?.aborted) throw signal.reason;
      this.#last = this.#clock.now();
    });
    // The next caller waits for this one whatever its outcome.
    this.#tail = mine.catch(() => undefined);
    return mine;
  }
}
