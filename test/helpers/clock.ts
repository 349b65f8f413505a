/**
 * A manual Clock for tests: time moves only when the test says so, and due timers run in
 * order of their due time (then of creation).
 *
 * Zero-delay timers run on the next macrotask by themselves (`zeroDelay: 'macrotask'`, the
 * default), so a source sleeping 0 ms against real sockets never needs a push; with
 * `zeroDelay: 'manual'` they wait for advance() like any other timer.
 */
import { setImmediate as macrotask } from 'node:timers/promises';
import type { Clock, TimerHandle } from '../../src/core/clock.js';

/** Options for {@link ManualClock}. */
export interface ManualClockOptions {
  /** Start time in epoch ms. */
  start?: number;
  /** Whether zero-delay timers fire on the next macrotask or only on advance(). */
  zeroDelay?: 'macrotask' | 'manual';
}

const DEFAULTS = { start: 1_764_000_000_000, zeroDelay: 'macrotask' } as const;

interface Timer {
  id: number;
  at: number;
  fn: () => void;
}

export class ManualClock implements Clock {
  #now: number;
  #seq = 0;
  readonly #zeroDelay: 'macrotask' | 'manual';
  readonly #timers = new Map<number, Timer>();
  /** Zero-delay timers waiting for their macrotask; kept apart so advance() never runs them. */
  readonly #immediate = new Set<number>();

  /** `start` alone (a number) or options. */
  constructor(options: number | ManualClockOptions = {}) {
    const opts = typeof options === 'number' ? { start: options } : options;
    this.#now = opts.start ?? DEFAULTS.start;
    this.#zeroDelay = opts.zeroDelay ?? DEFAULTS.zeroDelay;
  }

  now(): number {
    return this.#now;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const id = ++this.#seq;
    if (ms <= 0 && this.#zeroDelay === 'macrotask') {
      this.#immediate.add(id);
      setImmediate(() => {
        if (this.#immediate.delete(id)) fn();
      });
    } else {
      this.#timers.set(id, { id, at: this.#now + Math.max(0, ms), fn });
    }
    return { id };
  }

  clearTimeout(handle: TimerHandle): void {
    const { id } = handle as { id: number };
    this.#timers.delete(id);
    this.#immediate.delete(id);
  }

  /** Timers not yet run (those waiting for advance()). */
  get pending(): number {
    return this.#timers.size;
  }

  /** Delays from now of the timers waiting for advance(), in creation order. */
  delays(): number[] {
    return [...this.#timers.values()].map((t) => t.at - this.#now);
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
