/**
 * A simulated Clock for benchmarks that compress time: timers sit in a binary heap and run when
 * advanceTo() passes their due time (many thousands of timers stay cheap).
 */
import type { Clock, TimerHandle } from '../../src/core/clock.js';

interface Timer {
  at: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

/** A Clock whose time moves only when advanceTo() is called. */
export class VirtualClock implements Clock {
  #now: number;
  #seq = 0;
  readonly #heap: Timer[] = [];

  constructor(start: number) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const timer: Timer = { at: this.#now + Math.max(0, ms), seq: this.#seq++, fn, cancelled: false };
    this.#push(timer);
    return timer;
  }

  clearTimeout(handle: TimerHandle): void {
    (handle as Timer).cancelled = true;
  }

  /** Moves time to `at`, running due timers in order. */
  advanceTo(at: number): void {
    for (let top = this.#heap[0]; top && top.at <= at; top = this.#heap[0]) {
      this.#pop();
      if (top.cancelled) continue;
      this.#now = Math.max(this.#now, top.at);
      top.fn();
    }
    this.#now = Math.max(this.#now, at);
  }

  #less(a: Timer, b: Timer): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  #push(timer: Timer): void {
    const h = this.#heap;
    h.push(timer);
    for (let i = h.length - 1; i > 0;) {
      const parent = (i - 1) >> 1;
      if (!this.#less(h[i]!, h[parent]!)) break;
      [h[i], h[parent]] = [h[parent]!, h[i]!];
      i = parent;
    }
  }

  #pop(): void {
    const h = this.#heap;
    const last = h.pop()!;
    if (h.length === 0) return;
    h[0] = last;
    for (let i = 0; ;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && this.#less(h[l]!, h[m]!)) m = l;
      if (r < h.length && this.#less(h[r]!, h[m]!)) m = r;
      if (m === i) break;
      [h[i], h[m]] = [h[m]!, h[i]!];
      i = m;
    }
  }
}
