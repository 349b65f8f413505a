/**
 * The room's daily quota budget. Every upstream call is charged its Data API cost (a chat page
 * 5 units, videos.list 1, search.list 100, channels.list 1; the channel's web page is free) and
 * counted by call. Recurring calls are paced so that, at their current intervals, the units left
 * last until the quota resets at midnight Pacific: when the projection would overspend, every
 * interval stretches by the same factor. Nothing left → blocked until the reset.
 */
import { nextMidnight, QUOTA_TIME_ZONE } from './reset.js';

/** The Data API cost of each call the adapter makes, in quota units. */
export const QUOTA_COSTS = {
  chat_messages: 5,
  videos: 1,
  search: 100,
  channels: 1,
  live_page: 0,
} as const;
/** A call the budget counts (a snake_case metrics label). */
export type QuotaCall = keyof typeof QUOTA_COSTS;

/** One recurring call: what it costs and how often it would run unstretched. */
export interface QuotaPlan {
  cost: number;
  intervalMs: number;
}

/** A pace for one recurring call: wait this long, or nothing fits before the reset. */
export type QuotaPace = { kind: 'wait'; ms: number; stretched: boolean } | { kind: 'exhausted'; resetAt: number };

/** Calls and units since the source started, per call (the counters behind the metric). */
export type QuotaTotals = Record<QuotaCall, { calls: number; units: number }>;

/** Today's spend, as stored between runs: the day (by its reset) and the units spent in it. */
export interface QuotaDay {
  resetAt: number;
  used: number;
}

/** What a budget is made of. */
export interface QuotaBudgetOptions {
  /** Units this room may spend per quota day. */
  dailyUnits: number;
  now: () => number;
  /** The zone whose midnight starts a quota day; Google's is America/Los_Angeles. */
  timeZone?: string;
  /** A previous run's spend: taken over when it is for the current quota day. */
  restore?: QuotaDay;
  /** Called after every charge: the day's spend (to store it) and the call with its cost (for the metrics). */
  onSpend?: (day: QuotaDay, call: QuotaCall, units: number) => void;
}

/** Today's spend against the daily budget, and the totals since start. */
export class QuotaBudget {
  readonly dailyUnits: number;
  readonly #now: () => number;
  readonly #timeZone: string;
  readonly #onSpend: QuotaBudgetOptions['onSpend'];
  #used = 0;
  #resetAt: number;
  readonly #totals = Object.fromEntries(Object.keys(QUOTA_COSTS).map((k) => [k, { calls: 0, units: 0 }])) as QuotaTotals;

  constructor(options: QuotaBudgetOptions) {
    this.dailyUnits = options.dailyUnits;
    this.#now = options.now;
    this.#timeZone = options.timeZone ?? QUOTA_TIME_ZONE;
    this.#resetAt = nextMidnight(this.#timeZone, this.#now());
    this.#onSpend = options.onSpend;
    if (options.restore?.resetAt === this.#resetAt) this.#used = Math.max(0, options.restore.used);
  }

  /** Starts a new quota day when the reset has passed. */
  #roll(): number {
    const now = this.#now();
    if (now >= this.#resetAt) {
      this.#used = 0;
      this.#resetAt = nextMidnight(this.#timeZone, now);
    }
    return now;
  }

  /** Charges one call (made, whatever its answer: Google charges failed calls too). */
  spend(call: QuotaCall): void {
    this.#roll();
    const units = QUOTA_COSTS[call];
    this.#used += units;
    this.#totals[call].calls += 1;
    this.#totals[call].units += units;
    this.#onSpend?.({ resetAt: this.#resetAt, used: this.#used }, call, units);
  }

  /** Units spent since the last reset. */
  get used(): number {
    this.#roll();
    return this.#used;
  }

  /** When the current quota day ends (ms since the epoch). */
  get resetAt(): number {
    this.#roll();
    return this.#resetAt;
  }

  /** Units left today (0 when overspent). */
  get remaining(): number {
    return Math.max(0, this.dailyUnits - this.used);
  }

  /** Whether a call of this kind still fits today's budget. */
  affords(call: QuotaCall): boolean {
    return QUOTA_COSTS[call] <= this.remaining;
  }

  /** A copy of the per-call totals since start. */
  totals(): QuotaTotals {
    return structuredClone(this.#totals);
  }

  /**
   * The pace of one recurring call of `cost` that would like to run every `desiredMs`, beside
   * `others` (the other recurring calls at their current intervals). The projection is every
   * plan's cost × (time to the reset ÷ its interval); when it exceeds the units left, the wait is
   * stretched by projection ÷ units left, so that all plans together spend what is left evenly.
   */
  pace(desiredMs: number, cost: number, others: readonly QuotaPlan[] = []): QuotaPace {
    const now = this.#roll();
    const remaining = this.dailyUnits - this.#used;
    if (cost > remaining) return { kind: 'exhausted', resetAt: this.#resetAt };
    const left = this.#resetAt - now;
    const projected = [{ cost, intervalMs: desiredMs }, ...others].reduce((sum, p) => sum + (p.cost * left) / Math.max(1, p.intervalMs), 0);
    if (projected <= remaining) return { kind: 'wait', ms: desiredMs, stretched: false };
    return { kind: 'wait', ms: Math.ceil((desiredMs * projected) / remaining), stretched: true };
  }
}
