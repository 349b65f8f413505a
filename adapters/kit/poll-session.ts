/**
 * One polling session, for HTTP sources (YouTube's liveChatMessages): ask, hand the answer to the
 * platform, wait the interval the server named (or the configured one), back off on errors, and
 * spend from a budget (a daily API quota) before every request. A session ends when the
 * platform says so, when errors repeat, or when the budget is spent; the lifecycle decides what
 * comes next, like for a socket.
 */
import { fullJitterBackoff, pause, type Clock } from '../../src/core/clock.js';
import type { RawFrame } from './capture.js';
import type { SessionResult, SessionStop } from './session.js';
import type { SourceShell } from './shell.js';

/** What one request amounted to. */
export type PollAnswer =
  /** It worked; `nextInMs` is the server's interval (pollingIntervalMillis); `raw` goes to the recorder. */
  | { kind: 'ok'; nextInMs?: number; raw?: RawFrame }
  /** It failed but may work again (5xx, timeout); `retryAfterMs` is the server's Retry-After. */
  | { kind: 'error'; reason: string; retryAfterMs?: number }
  /** The session is over (the chat ended, the credentials were refused). */
  | { kind: 'end'; end: SessionStop };

/** Decides whether a request may be made now. */
export interface PollBudget {
  /** Spends `cost` units when they are left and returns 0; else returns the ms until there are. */
  take(cost: number): number;
  /** Units left in the current window. */
  remaining(): number;
}

/** One polling session's request and timing. */
export interface PollSessionOptions {
  /** Makes one request and maps what it brought; a throw counts as an error answer. */
  poll(signal: AbortSignal): Promise<PollAnswer>;
  /** The wait between requests when the answer names none. */
  intervalMs: number;
  /** Never poll faster than this, whatever the server says. */
  minIntervalMs?: number;
  /** Backoff after errors: full jitter over base·2^errors, capped. */
  backoff: { baseMs: number; maxMs: number };
  /** Errors in a row that end the session (`closed`). */
  maxErrors: number;
  /** Spent before every request; an empty budget ends the session as `blocked` until it refills. */
  budget?: PollBudget;
  /** Units one request costs (1 by default). */
  cost?: number;
}

/** Runs one polling session until it ends. */
export async function runPollSession(shell: SourceShell, o: PollSessionOptions, signal: AbortSignal): Promise<SessionResult> {
  let frames = 0;
  let healthy = false;
  let errors = 0;
  const result = (end: SessionResult['end']): SessionResult => ({ end, healthy, frames });
  while (!signal.aborted) {
    const wait = o.budget?.take(o.cost ?? 1) ?? 0;
    if (wait > 0) {
      return result({
        kind: 'blocked',
        reason: `the request budget is spent; it refills in ${Math.ceil(wait / 1000)} s`,
        retryAfterMs: wait,
      });
    }
    let answer: PollAnswer;
    try {
      answer = await o.poll(signal);
    } catch (err) {
      if (signal.aborted) break;
      answer = { kind: 'error', reason: err instanceof Error ? err.message : String(err) };
    }
    let delayMs: number;
    if (answer.kind === 'end') return result(answer.end);
    if (answer.kind === 'ok') {
      frames += 1;
      healthy = true;
      errors = 0;
      if (answer.raw) shell.record(answer.raw);
      delayMs = Math.max(o.minIntervalMs ?? 0, answer.nextInMs ?? o.intervalMs);
    } else {
      errors += 1;
      if (errors >= o.maxErrors) return result({ kind: 'closed', reason: `${errors} requests failed in a row; last: ${answer.reason}` });
      delayMs = answer.retryAfterMs ?? fullJitterBackoff(errors - 1, o.backoff.baseMs, o.backoff.maxMs, shell.random);
      shell.logger.warn('poll failed; retrying', { reason: answer.reason, errors, delayMs });
    }
    if (!(await pause(shell.clock, delayMs, signal))) break;
  }
  return result({ kind: 'aborted' });
}

/**
 * A budget of `units` per window (YouTube: 10,000 units a day, reset at midnight Pacific). The
 * window is found by `windowStart(now)`; fixed windows of `windowMs` from the epoch by default.
 */
export class WindowBudget implements PollBudget {
  readonly #units: number;
  readonly #clock: Clock;
  readonly #windowStart: (now: number) => number;
  readonly #windowMs: number;
  #start = Number.NaN;
  #spent = 0;

  constructor(o: { units: number; windowMs: number; clock: Clock; windowStart?: (now: number) => number }) {
    this.#units = o.units;
    this.#clock = o.clock;
    this.#windowMs = o.windowMs;
    this.#windowStart = o.windowStart ?? ((now) => now - (now % o.windowMs));
  }

  #roll(): void {
    const start = this.#windowStart(this.#clock.now());
    if (start !== this.#start) {
      this.#start = start;
      this.#spent = 0;
    }
  }

  take(cost: number): number {
    this.#roll();
    if (this.#spent + cost <= this.#units) {
      this.#spent += cost;
      return 0;
    }
    return Math.max(1, this.#start + this.#windowMs - this.#clock.now());
  }

  remaining(): number {
    this.#roll();
    return this.#units - this.#spent;
  }
}
