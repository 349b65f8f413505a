/**
 * The sign budget: every connect and reconnect costs one call to the sign server, and the sign
 * server's quota is per key (Euler's free plan: 2,500 calls a day; minute limits on top). The
 * budget caps calls per rolling minute and per rolling day, holds off until the reset a 429 names,
 * and counts calls and refusals. It never waits by itself: a refused take says when to come back,
 * and the caller sleeps, so no loop can spend it.
 *
 * Sources of one process that sign with the same server and key share one budget
 * ({@link sharedSignBudget}), since the quota is the key's, not the room's.
 */
import { createHash } from 'node:crypto';
import type { SignBudgetConfig } from '../config.js';

const MINUTE = 60_000;
const DAY = 1_440 * MINUTE;

/** Why a take was refused. */
export type BudgetRefusal = 'per_minute' | 'per_day' | 'held';

/** The outcome of {@link SignBudget.take}. */
export type BudgetTake = { ok: true } | { ok: false; why: BudgetRefusal; retryAt: number };

/** Counters for metrics and logs. */
export interface BudgetStats {
  /** Calls taken from the budget (each one a sign request). */
  calls: number;
  /** Takes refused by the local caps or a hold. */
  refusals: number;
  /** Calls in the last minute and the last day. */
  lastMinute: number;
  lastDay: number;
}

/** Caps sign calls per rolling minute and per rolling day. */
export class SignBudget {
  readonly #perMinute: number;
  readonly #perDay: number;
  readonly #now: () => number;
  /** Times of the calls of the last minute (at most perMinute). */
  readonly #minute: number[] = [];
  /** Calls per minute-bucket over the last day: [bucket, count], oldest first. */
  readonly #day: [number, number][] = [];
  #dayTotal = 0;
  #heldUntil = 0;
  #calls = 0;
  #refusals = 0;

  constructor(config: SignBudgetConfig, now: () => number) {
    this.#perMinute = config.per_minute;
    this.#perDay = config.per_day;
    this.#now = now;
  }

  #expire(now: number): void {
    while (this.#minute.length > 0 && this.#minute[0]! <= now - MINUTE) this.#minute.shift();
    const oldestBucket = Math.floor((now - DAY) / MINUTE);
    while (this.#day.length > 0 && this.#day[0]![0] <= oldestBucket) this.#dayTotal -= this.#day.shift()![1];
  }

  /** Takes one call, or refuses with when the next may be taken. */
  take(): BudgetTake {
    const now = this.#now();
    this.#expire(now);
    let refusal: BudgetTake | undefined;
    if (now < this.#heldUntil) refusal = { ok: false, why: 'held', retryAt: this.#heldUntil };
    else if (this.#dayTotal >= this.#perDay) refusal = { ok: false, why: 'per_day', retryAt: (this.#day[0]![0] + 1) * MINUTE + DAY };
    else if (this.#minute.length >= this.#perMinute) refusal = { ok: false, why: 'per_minute', retryAt: this.#minute[0]! + MINUTE };
    if (refusal) {
      this.#refusals += 1;
      return refusal;
    }
    this.#calls += 1;
    this.#minute.push(now);
    const bucket = Math.floor(now / MINUTE);
    const last = this.#day[this.#day.length - 1];
    if (last && last[0] === bucket) last[1] += 1;
    else this.#day.push([bucket, 1]);
    this.#dayTotal += 1;
    return { ok: true };
  }

  /** The sign server said to wait (a 429 with a reset): no call before `until` (ms epoch). */
  holdUntil(until: number): void {
    this.#heldUntil = Math.max(this.#heldUntil, until);
  }

  get stats(): BudgetStats {
    this.#expire(this.#now());
    return { calls: this.#calls, refusals: this.#refusals, lastMinute: this.#minute.length, lastDay: this.#dayTotal };
  }
}

const shared = new Map<string, SignBudget>();

/**
 * The budget of one sign server and key in this process: sources with the same server, key and
 * caps share it. The key itself is not kept, only a digest.
 */
export function sharedSignBudget(signer: { url: string; api_key: string }, config: SignBudgetConfig, now: () => number): SignBudget {
  const id = createHash('sha256')
    .update(`${signer.url}\u0000${signer.api_key}\u0000${config.per_minute}\u0000${config.per_day}`)
    .digest('hex');
  let budget = shared.get(id);
  if (!budget) {
    budget = new SignBudget(config, now);
    shared.set(id, budget);
  }
  return budget;
}
