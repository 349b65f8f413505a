/**
 * A hand-driven Clock: time moves only when the test calls advance(), which fires due timers.
 * It starts at the real time so that signatures agree with an emulator on the system clock.
 */
import type { Clock, TimerHandle } from '../../../src/core/clock.js';

export interface ManualClock extends Clock {
  advance(ms: number): void;
  /** Timers waiting to fire. */
  pending(): number;
}

export function manualClock(start = Date.now()): ManualClock {
  let now = start;
  let seq = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  return {
    now: () => now,
    setTimeout(fn, ms) {
      const id = ++seq;
      timers.set(id, { at: now + Math.max(0, ms), fn });
      return { id } as unknown as TimerHandle;
    },
    clearTimeout(handle) {
      timers.delete((handle as unknown as { id: number }).id);
    },
    advance(ms) {
      now += ms;
      for (const [id, t] of [...timers].sort((a, b) => a[1].at - b[1].at)) {
        if (t.at <= now && timers.delete(id)) t.fn();
      }
    },
    pending: () => timers.size,
  };
}
