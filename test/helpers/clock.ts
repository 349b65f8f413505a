/**
 * A manual Clock for tests: time moves only when the test says so, and due timers run in
 * order of their due time (then of creation).
 */
import { setImmediate as macrotask } from 'node:timers/promises';
import type { Clock, TimerHandle } from '../../src/core/clock.js';

interface Timer {
  id: number;
  at: number;
  fn: () => void;
}

export class ManualClock implements Clock {
  #now: number;
  #seq = 0;
  readonly #timers = new Map<number, Timer>();

  constructor(start = 1_764_000_000_000) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const id = ++this.#seq;
    this.#timers.set(id, { id, at: this.#now + Math.max(0, ms), fn });
    return { id };
  }

  clearTimeout(handle: TimerHandle): void {
    this.#timers.delete((handle as { id: number }).id);
  }

  /** Timers not yet run. */
  get pending(): number {
    return this.#timers.size;
  }

  /** When the next timer is due, or null. */
  nextAt(): number | null {
    const next = this.#next(Infinity);
    return next ? next.at : null;
  }

  /** Moves time forward by `ms`, running every timer that falls due, in order (synchronously). */
  advance(ms: number): void {
    const end = this.#now + ms;
    for (let t = this.#next(end); t; t = this.#next(end)) this.#run(t);
    this.#now = end;
  }

  /**
   * Like advance(), but lets promise chains settle (one macrotask) before and after each timer,
   * for code that awaits between timers (a sink answering, a file being written).
   */
  async advanceAsync(ms: number): Promise<void> {
    const end = this.#now + ms;
    await macrotask();
    for (let t = this.#next(end); t; t = this.#next(end)) {
      this.#run(t);
      await macrotask();
    }
    this.#now = end;
    await macrotask();
  }

  #next(until: number): Timer | undefined {
    let best: Timer | undefined;
    for (const t of this.#timers.values()) if (t.at <= until && (!best || t.at < best.at || (t.at === best.at && t.id < best.id))) best = t;
    return best;
  }

  #run(timer: Timer): void {
    this.#timers.delete(timer.id);
    this.#now = Math.max(this.#now, timer.at);
    timer.fn();
  }
}
