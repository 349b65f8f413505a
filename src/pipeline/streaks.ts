/**
 * Gift-streak folding: the messages of one combo (same source, user, gift and adapter streak key)
 * become one gift event with the streak's final (highest) count, reported once: when the final
 * message arrives, or after `idleMs` of silence. Counts may skip values and arrive out of order.
 */
import type { Clock, TimerHandle } from '../core/clock.js';
import type { GiftEvent } from '../core/events.js';
import { TtlSet } from '../core/ttl-set.js';

interface OpenStreak {
  /** The message with the highest count so far. */
  best: GiftEvent;
  /** Messages folded into this streak, the reported one included. */
  messages: number;
  lastSeen: number;
  timer: TimerHandle;
}

/** What the folder hands on: a closed streak, with how many messages it folded. */
export type StreakOutput = (event: GiftEvent, folded: number) => void;

/** When an idle streak closes, and how long and how many closed streak keys are remembered. */
export interface StreakFolderOptions {
  idleMs: number;
  /** How long a closed streak's key is remembered, so late messages of it are not reported again. */
  closedTtlMs: number;
  closedMaxEntries: number;
}

/** Folds gift streaks; gifts without a streak pass straight to `output`. */
export class StreakFolder {
  readonly #open = new Map<string, OpenStreak>();
  readonly #closed: TtlSet;
  readonly #clock: Clock;
  readonly #options: StreakFolderOptions;
  readonly #output: StreakOutput;
  /** Called for a message of a streak that was already reported (late or repeated final). */
  readonly #late: (event: GiftEvent) => void;

  constructor(options: StreakFolderOptions, clock: Clock, output: StreakOutput, late: (event: GiftEvent) => void) {
    this.#options = options;
    this.#clock = clock;
    this.#output = output;
    this.#late = late;
    this.#closed = new TtlSet(options.closedMaxEntries, options.closedTtlMs);
  }

  get openStreaks(): number {
    return this.#open.size;
  }

  /** The gift messages held in open streaks (received, neither passed on nor coalesced yet). */
  get held(): number {
    let n = 0;
    for (const open of this.#open.values()) n += open.messages;
    return n;
  }

  push(event: GiftEvent): void {
    const streak = event.gift.streak;
    if (!streak) {
      this.#output(event, 1);
      return;
    }
    const key = `${event.source}\u0000${event.user.id}\u0000${event.gift.giftId}\u0000${streak.key}`;
    const now = this.#clock.now();
    if (this.#closed.has(key, now)) {
      this.#late(event);
      return;
    }
    let open = this.#open.get(key);
    if (!open) {
      open = { best: event, messages: 0, lastSeen: now, timer: this.#arm(key, this.#options.idleMs) };
      this.#open.set(key, open);
    } else if (event.gift.count > open.best.gift.count) {
      open.best = event;
    }
    open.messages += 1;
    open.lastSeen = now;
    if (streak.final) {
      // Reported with the id of the message that closed it and the highest count seen.
      const closing = open.best === event ? event : { ...event, gift: { ...event.gift, count: open.best.gift.count } };
      this.#close(key, open, closing);
    }
  }

  /** Closes every open streak now (shutdown), reporting each with its highest-count message. */
  flush(): void {
    for (const [key, open] of [...this.#open]) this.#close(key, open, open.best);
  }

  /** Cancels the idle timers and forgets open streaks without reporting them; returns the messages they held. */
  close(): number {
    let discarded = 0;
    for (const open of this.#open.values()) {
      this.#clock.clearTimeout(open.timer);
      discarded += open.messages;
    }
    this.#open.clear();
    this.#closed.clear();
    return discarded;
  }

  // One timer per streak, re-armed lazily: a message only moves lastSeen, so a busy combo costs
  // no timer churn.
  #arm(key: string, ms: number): TimerHandle {
    return this.#clock.setTimeout(() => this.#onIdle(key), ms);
  }

  #onIdle(key: string): void {
    const open = this.#open.get(key);
    if (!open) return;
    const idleFor = this.#clock.now() - open.lastSeen;
    if (idleFor < this.#options.idleMs) {
      open.timer = this.#arm(key, this.#options.idleMs - idleFor);
      return;
    }
    this.#close(key, open, open.best);
  }

  #close(key: string, open: OpenStreak, report: GiftEvent): void {
    this.#clock.clearTimeout(open.timer);
    this.#open.delete(key);
    this.#closed.add(key, this.#clock.now());
    this.#output(report, open.messages);
  }
}
