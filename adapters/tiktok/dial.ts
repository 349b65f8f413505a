/**
 * From a live room to a socket target: one sign call (counted against the budget first), then the
 * push URL and handshake headers made from its answer. The signed URL expires in about 30 s, so
 * every connect and reconnect comes through here: this is the only place that spends budget.
 */
import type { TikTokSourceConfig } from './config.js';
import type { CookieHttpClient } from '../common/http.js';
import { pushUrl } from './push.js';
import type { SignBudget } from './sign/budget.js';
import { SignError, type SignProvider } from './sign/provider.js';

/** Where and how to open one push socket. */
export interface DialTarget {
  /** The signed URL: never logged. */
  url: string;
  headers: Record<string, string>;
  roomId: string;
  /** The fetch result's cursor and internalExt: the resume state from here on. */
  cursor: string;
  internalExt: string;
  /** The server's heartbeat hint, in seconds (0 = none). */
  heartbeatDurationS: number;
}

/** Why no socket target could be made. */
export type DialFailure =
  /** The local budget or a sign-server 429 says: not before `retryAt`. */
  | { kind: 'wait'; code: 'sign_budget' | 'sign_rate_limited'; reason: string; retryAt: number }
  /** The sign server refused the key or the route (401/402/403). */
  | { kind: 'refused'; code: 'sign_refused'; reason: string }
  /** The sign server failed (5xx, unreachable, no X-Set-TT-Cookie, garbage). */
  | { kind: 'failed'; code: 'sign_failed'; reason: string };

/** Counts what the dialer did (the sign metric). */
export type SignObserver = (outcome: 'ok' | 'rate_limited' | 'refused' | 'failed' | 'budget_refused') => void;

/** Makes socket targets for one source. */
export class Dialer {
  readonly #config: TikTokSourceConfig;
  readonly #provider: SignProvider;
  readonly #budget: SignBudget;
  readonly #http: CookieHttpClient;
  readonly #observe: SignObserver;

  constructor(options: {
    config: TikTokSourceConfig;
    provider: SignProvider;
    budget: SignBudget;
    http: CookieHttpClient;
    observe: SignObserver;
  }) {
    this.#config = options.config;
    this.#provider = options.provider;
    this.#budget = options.budget;
    this.#http = options.http;
    this.#observe = options.observe;
  }

  /** The budget's counters, for log lines. */
  get budget(): SignBudget {
    return this.#budget;
  }

  /** Signs one connection to `roomId`, resuming from `cursor` ('' on a first connect). */
  async dial(
    roomId: string,
    cursor: string,
    signal: AbortSignal,
  ): Promise<{ ok: true; target: DialTarget } | { ok: false; failure: DialFailure }> {
    const take = this.#budget.take();
    if (!take.ok) {
      this.#observe('budget_refused');
      const cap = take.why === 'held' ? 'the sign server asked to wait' : `${take.why} cap reached`;
      return { ok: false, failure: { kind: 'wait', code: 'sign_budget', reason: `sign budget: ${cap}`, retryAt: take.retryAt } };
    }
    const session = this.#config.cookie || undefined;
    let signed;
    try {
      signed = await this.#provider.sign({ roomId, cursor, userAgent: this.#config.user_agent, sessionCookie: session }, signal);
    } catch (err) {
      if (!(err instanceof SignError)) throw err;
      if (err.code === 'sign_rate_limited') {
        this.#observe('rate_limited');
        const retryAt = err.retryAt ?? 0;
        this.#budget.holdUntil(retryAt);
        return { ok: false, failure: { kind: 'wait', code: 'sign_rate_limited', reason: err.message, retryAt } };
      }
      if (err.code === 'sign_refused') {
        this.#observe('refused');
        return { ok: false, failure: { kind: 'refused', code: 'sign_refused', reason: err.message } };
      }
      this.#observe('failed');
      return { ok: false, failure: { kind: 'failed', code: 'sign_failed', reason: err.message } };
    }
    const r = signed.result;
    const pushServer = this.#config.urls.websocket || r.pushServer;
    if (!/^wss?:\/\//.test(pushServer)) {
      this.#observe('failed');
      return { ok: false, failure: { kind: 'failed', code: 'sign_failed', reason: 'the fetch result names no ws(s):// push server' } };
    }
    this.#observe('ok');
    const url = pushUrl({
      pushServer,
      routeParams: r.routeParams,
      roomId: signed.roomId,
      cursor: r.cursor,
      internalExt: r.internalExt,
      userAgent: this.#config.user_agent,
    });
    // The whole jar: tt-target-idc (and the session) from our client, then the signer's cookies.
    const cookie = [this.#http.cookieHeader(), signed.ttCookies].filter(Boolean).join('; ');
    return {
      ok: true,
      target: {
        url,
        headers: { 'User-Agent': this.#config.user_agent, Cookie: cookie, Origin: 'https://www.tiktok.com' },
        roomId: signed.roomId,
        cursor: r.cursor,
        internalExt: r.internalExt,
        heartbeatDurationS: r.heartbeatDurationS,
      },
    };
  }
}
