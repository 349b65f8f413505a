/**
 * A hand-driven Clock for sources that run against real sockets: time moves only when the test
 * calls advance(); zero-delay timers fire on the next macrotask so `sleep(0)` never needs a push.
 */
import type { Clock, TimerHandle } from '../../../src/core/clock.js';

interface Timer {
  at: number;
  fn: () => void;
  cancelled: boolean;
  seq: number;
}

export class ManualClock implements Clock {
  #now: number;
  #timers: Timer[] = [];
  #seq = 0;

  constructor(start = Date.UTC(2026, 10, 24, 12, 0, 0)) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const timer: Timer = { at: this.#now + Math.max(0, ms), fn, cancelled: false, seq: this.#seq++ };
    if (ms <= 0) {
      setImmediate(() => {
        if (!timer.cancelled) {
          timer.cancelled = true;
          fn();
        }
      });
    } else {
      this.#timers.push(timer);
    }
    return timer;
  }

  clearTimeout(handle: TimerHandle): void {
    (handle as Timer).cancelled = true;
  }

  /** Timers still waiting (not cancelled), with their delays from now. */
  pending(): number[] {
    return this.#timers.filter((t) => !t.cancelled).map((t) => t.at - this.#now);
  }

  /** Moves time forward by `ms`, firing due timers in order. */
  advance(ms: number): void {
    const target = this.#now + ms;
    for (;;) {
      const due = this.#timers.filter((t) => !t.cancelled && t.at <= target).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      due.cancelled = true;
      this.#now = Math.max(this.#now, due.at);
      due.fn();
    }
    this.#timers = this.#timers.filter((t) => !t.cancelled);
    this.#now = target;
  }
}

/** Polls `predicate` on real time until it holds (bounded). */
export async function waitFor(predicate: () => boolean, what: string | (() => string) = 'condition', timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${typeof what === 'function' ? what() : what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
