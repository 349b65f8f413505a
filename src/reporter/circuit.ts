/**
 * The circuit breaker: opens after `failures` consecutive failed sends, then lets one probe
 * through (half-open) after each cooldown. `openSince` keeps the time of the first opening until
 * a send succeeds, so the spool can tell how long the sink has been down.
 */
import type { CircuitState } from '../core/status.js';

/** The circuit breaker described in the module comment. */
export class Circuit {
  #state: CircuitState = 'closed';
  #failures = 0;
  #openSince: number | null = null;
  #probeAt = 0;
  readonly #threshold: number;
  readonly #cooldownMs: number;

  constructor(threshold: number, cooldownMs: number) {
    this.#threshold = threshold;
    this.#cooldownMs = cooldownMs;
  }

  get state(): CircuitState {
    return this.#state;
  }

  get openSince(): number | null {
    return this.#openSince;
  }

  /** No send before this time (0 when closed). */
  blockedUntil(): number {
    return this.#state === 'open' ? this.#probeAt : 0;
  }

  /** Called as a send starts: an open circuit past its cooldown lets this one through as the probe. */
  beforeSend(now: number): void {
    if (this.#state === 'open' && now >= this.#probeAt) this.#state = 'half-open';
  }

  /** Records a failed send; returns true when this one opened the circuit. */
  failure(now: number): boolean {
    this.#failures += 1;
    if (this.#state === 'half-open' || (this.#state === 'closed' && this.#failures >= this.#threshold)) {
      const opened = this.#state === 'closed';
      this.#state = 'open';
      this.#openSince ??= now;
      this.#probeAt = now + this.#cooldownMs;
      return opened;
    }
    return false;
  }

  /** Records a successful send; returns true when this closed an open circuit. */
  success(): boolean {
    const wasOpen = this.#state !== 'closed';
    this.#state = 'closed';
    this.#failures = 0;
    this.#openSince = null;
    return wasOpen;
  }
}
