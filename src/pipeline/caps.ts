/**
 * Per-type caps before the queue: likes become at most one event per user per window (counts
 * summed), joins are capped per second.
 */
import type { Clock, TimerHandle } from '../core/clock.js';
import type { JoinEvent, LikeEvent } from '../core/events.js';

interface LikeWindow {
  /** The newest like gathered since the window opened (none yet when null). */
  pending: LikeEvent | null;
  /** The sum of the counts gathered (the summed event is built once, when the window ends). */
  count: number;
  /** Events gathered. */
  folded: number;
  timer: TimerHandle;
}

/** The one event a window passes: its newest like, carrying the summed count. */
const summed = (pending: LikeEvent, open: LikeWindow): LikeEvent => (open.folded === 1 ? pending : { ...pending, count: open.count });

/**
 * Likes per user and window: the first like of a quiet user passes at once and opens a window;
 * likes inside it are summed and passed as one event when it ends, which opens the next window.
 * A window that ends with nothing gathered closes the user's entry.
 */
export class LikeWindows {
  readonly #windows = new Map<string, LikeWindow>();
  readonly #clock: Clock;
  readonly #windowMs: number;
  readonly #output: (event: LikeEvent, folded: number) => void;

  constructor(windowMs: number, clock: Clock, output: (event: LikeEvent, folded: number) => void) {
    this.#windowMs = windowMs;
    this.#clock = clock;
    this.#output = output;
  }

  push(event: LikeEvent): void {
    const key = `${event.platform}\u0000${event.user.id}`;
    const open = this.#windows.get(key);
    if (!open) {
      this.#windows.set(key, { pending: null, count: 0, folded: 0, timer: this.#clock.setTimeout(() => this.#end(key), this.#windowMs) });
      this.#output(event, 1);
      return;
    }
    // The newest like carries the freshest user details and timestamp; counts add up.
    open.pending = event;
    open.count += event.count;
    open.folded += 1;
  }

  /** The likes gathered in open windows and not passed on yet (received, neither passed nor coalesced). */
  get held(): number {
    let n = 0;
    for (const open of this.#windows.values()) n += open.folded;
    return n;
  }

  /** Passes every gathered sum now (shutdown) and forgets the windows. */
  flush(): void {
    for (const [key, open] of [...this.#windows]) {
      this.#clock.clearTimeout(open.timer);
      this.#windows.delete(key);
      if (open.pending) this.#output(summed(open.pending, open), open.folded);
    }
  }

  /** Cancels the windows without passing what they gathered; returns the likes discarded. */
  close(): number {
    let discarded = 0;
    for (const open of this.#windows.values()) {
      this.#clock.clearTimeout(open.timer);
      discarded += open.folded;
    }
    this.#windows.clear();
    return discarded;
  }

  #end(key: string): void {
    const open = this.#windows.get(key);
    if (!open) return;
    if (!open.pending) {
      this.#windows.delete(key);
      return;
    }
    const { folded } = open;
    const event = summed(open.pending, open);
    open.pending = null;
    open.count = 0;
    open.folded = 0;
    open.timer = this.#clock.setTimeout(() => this.#end(key), this.#windowMs);
    this.#output(event, folded);
  }
}

/**
 * The join cap: at most floor(perSecond) joins in any one-second window (a sliding log of the
 * ones passed); below 1 a second, one per 1/perSecond seconds; 0 passes none.
 */
export class JoinCap {
  readonly #cap: number;
  readonly #windowMs: number;
  readonly #clock: Clock;
  readonly #passed: number[] = [];

  constructor(perSecond: number, clock: Clock) {
    this.#cap = perSecond > 0 ? Math.max(1, Math.floor(perSecond)) : 0;
    this.#windowMs = perSecond >= 1 ? 1000 : 1000 / perSecond;
    this.#clock = clock;
  }

  /** Whether this join may pass (and records it when it does). */
  take(_event: JoinEvent): boolean {
    if (this.#cap === 0) return false;
    const now = this.#clock.now();
    if (this.#passed.length === this.#cap) {
      if (now - this.#passed[0]! < this.#windowMs) return false;
      this.#passed.shift();
    }
    this.#passed.push(now);
    return true;
  }
}
