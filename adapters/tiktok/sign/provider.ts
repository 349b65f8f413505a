/**
 * The sign provider: TikTok's webcast bootstrap (`webcast/im/fetch`) needs webmssdk signatures
 * no open-source client computes, so a sign server performs it and answers with the protobuf
 * fetch result (cursor, internalExt, push server, route params) plus the cookies the socket must
 * present (`X-Set-TT-Cookie`, mandatory). `euler` is an Euler Stream-compatible server; `service`
 * is an operator's own signer speaking the same contract. The path is configurable: `/webcast/fetch`
 * (room id in the query) or `/webcast/rooms/{room_id}/connect`; both answer the same shape.
 *
 * The API key and the session never appear in errors or logs.
 */
import { fetch as undiciFetch } from 'undici';
import { BridgeError } from '../../../src/core/errors.js';
import { describeNetworkError } from '../../../src/core/net-error.js';
import type { HttpDeps } from '../../common/http.js';
import { WebcastDecodeError, type WebcastDecoder, type WebcastResponse } from '../../webcast/envelope.js';
import type { TikTokSignerConfig } from '../config.js';

/** Why a sign call did not give a connection (snake_case codes). */
export type SignFailure = 'sign_rate_limited' | 'sign_refused' | 'sign_failed' | 'sign_budget';

/** A sign call failed; `code` says how the source should react. */
export class SignError extends BridgeError {
  declare readonly code: SignFailure;
  /** For `sign_rate_limited` and `sign_budget`: no new call before this time (ms epoch). */
  readonly retryAt: number | undefined;
  /** The 429's limit label (`rate_limit_account_minute`, ...), when given. */
  readonly label: string | undefined;

  constructor(code: SignFailure, message: string, extra: { retryAt?: number; label?: string } = {}) {
    super(code, message);
    this.retryAt = extra.retryAt;
    this.label = extra.label;
  }
}

/** What the socket needs, from one sign call. */
export interface SignedFetch {
  /** The decoded fetch result: cursor, internalExt, pushServer, routeParams, heartbeat hints. */
  result: WebcastResponse;
  /** The cookie pairs of `X-Set-TT-Cookie`, as a Cookie header value. */
  ttCookies: string;
  /** `x-room-id` when the server corrected the room id, else the one asked for. */
  roomId: string;
}

/** One sign request. */
export interface SignRequest {
  roomId: string;
  /** The last cursor (resume), '' on a first connect. */
  cursor: string;
  /** The User-Agent the socket will send: the signature is made for it. */
  userAgent: string;
  /** The logged-in session's Cookie header; sent only when the signer's host is the trusted one. */
  sessionCookie?: string;
}

/** Signs webcast connections. */
export interface SignProvider {
  readonly kind: TikTokSignerConfig['provider'];
  sign(request: SignRequest, signal: AbortSignal): Promise<SignedFetch>;
}

const DEFAULTS = { minuteHoldMs: 60_000, dayHoldMs: 3_600_000, maxRetryAfterMs: 86_400_000 } as const;

/** Reads a reset the 429 names: Retry-After (seconds or a date), RateLimit-Reset, or the body's reset_at. */
export function resetFrom(headers: Headers, body: Record<string, unknown>, now: number): number | undefined {
  const retryAfter = headers.get('retry-after');
  if (retryAfter) {
    if (/^\d+$/.test(retryAfter)) return now + Math.min(Number(retryAfter) * 1000, DEFAULTS.maxRetryAfterMs);
    const at = Date.parse(retryAfter);
    if (!Number.isNaN(at)) return Math.min(at, now + DEFAULTS.maxRetryAfterMs);
  }
  for (const v of [headers.get('ratelimit-reset'), headers.get('x-ratelimit-reset'), body.reset_at, body.resetAt]) {
    const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : undefined;
    if (n === undefined) continue;
    // Epoch seconds, epoch ms, or seconds from now.
    const at = n > 1e12 ? n : n > 1e9 ? n * 1000 : now + n * 1000;
    return Math.min(at, now + DEFAULTS.maxRetryAfterMs);
  }
  return undefined;
}

/** `a=1; Path=/, b=2` or `a=1; b=2`: the name=value pairs of X-Set-TT-Cookie as one Cookie header. */
export function cookiePairs(header: string): string {
  const pairs: string[] = [];
  const seen = new Set<string>();
  for (const part of header.split(/[;,]/)) {
    const piece = part.trim();
    const eq = piece.indexOf('=');
    if (eq <= 0) continue;
    const name = piece.slice(0, eq).trim();
    if (/^(path|domain|expires|max-age|samesite|secure|httponly|priority)$/i.test(name) || seen.has(name)) continue;
    seen.add(name);
    pairs.push(`${name}=${piece.slice(eq + 1).trim()}`);
  }
  return pairs.join('; ');
}

function parseJsonObject(text: string): Record<string, unknown> {
  try {
    const v = JSON.parse(text) as unknown;
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** The Euler-compatible HTTP sign provider (`euler` and `service` speak the same contract). */
export class HttpSignProvider implements SignProvider {
  readonly kind: TikTokSignerConfig['provider'];
  readonly #config: TikTokSignerConfig;
  readonly #http: HttpDeps;
  readonly #decoder: WebcastDecoder;
  readonly #now: () => number;
  readonly #sessionAllowed: boolean;

  constructor(config: TikTokSignerConfig, deps: { http: HttpDeps; decoder: WebcastDecoder; now: () => number }) {
    this.kind = config.provider;
    this.#config = config;
    this.#http = deps.http;
    this.#decoder = deps.decoder;
    this.#now = deps.now;
    this.#sessionAllowed = config.session_host !== '' && new URL(config.url).host === config.session_host;
  }

  /** Whether a logged-in session would be forwarded to this signer. */
  get forwardsSession(): boolean {
    return this.#sessionAllowed;
  }

  #url(request: SignRequest): string {
    const base = this.#config.url.replace(/\/+$/, '');
    const inPath = this.#config.path.includes('{room_id}');
    const path = this.#config.path.replaceAll('{room_id}', encodeURIComponent(request.roomId));
    const q = new URLSearchParams();
    q.set('client', this.#config.client);
    if (!inPath) q.set('room_id', request.roomId);
    q.set('cursor', request.cursor);
    q.set('user_agent', request.userAgent);
    q.set('client_enter', 'true');
    q.set('platform', 'web');
    return `${base}${path}?${q.toString()}`;
  }

  async sign(request: SignRequest, signal: AbortSignal): Promise<SignedFetch> {
    const headers: Record<string, string> = { accept: 'application/x-protobuf, application/json;q=0.5', 'user-agent': request.userAgent };
    if (this.#config.api_key) headers['x-api-key'] = this.#config.api_key;
    if (request.sessionCookie && this.#sessionAllowed) headers['x-cookie-header'] = request.sessionCookie;
    const timeout = AbortSignal.timeout(this.#config.timeout_ms);
    let res: Awaited<ReturnType<typeof undiciFetch>>;
    let body: Buffer;
    try {
      res = await (this.#http.fetch ?? undiciFetch)(this.#url(request), {
        headers,
        redirect: 'manual',
        signal: AbortSignal.any([signal, timeout]),
        dispatcher: this.#http.dispatcher,
      });
      body = Buffer.from(await res.arrayBuffer());
    } catch (err) {
      if (signal.aborted) throw signal.reason;
      // The cause's message names the host at most; the query (with the UA) is not repeated.
      throw new SignError('sign_failed', `sign server unreachable: ${describeNetworkError(err).text}`);
    }
    return this.#answer(res.status, res.headers, body, request);
  }

  #answer(status: number, headers: Headers, body: Buffer, request: SignRequest): SignedFetch {
    const who = `sign server (${this.kind})`;
    if (status === 429) {
      const json = parseJsonObject(body.toString('utf8'));
      const label = typeof json.limit_label === 'string' ? json.limit_label : undefined;
      const message = typeof json.message === 'string' ? json.message.slice(0, 160) : '';
      const now = this.#now();
      const retryAt = resetFrom(headers, json, now) ?? now + (label?.includes('day') ? DEFAULTS.dayHoldMs : DEFAULTS.minuteHoldMs);
      return this.#throw(
        new SignError('sign_rate_limited', `${who} rate limit${label ? ` ${label}` : ''}${message ? `: ${message}` : ''}`, {
          retryAt,
          label,
        }),
      );
    }
    if (status === 401 || status === 402 || status === 403) {
      const why =
        status === 401
          ? 'the API key was refused'
          : status === 402
            ? 'this route needs a paid plan'
            : 'the key lacks permission for this route';
      return this.#throw(new SignError('sign_refused', `${who} answered HTTP ${status}: ${why}`));
    }
    if (status !== 200) return this.#throw(new SignError('sign_failed', `${who} answered HTTP ${status}`));
    const ttCookies = cookiePairs(headers.get('x-set-tt-cookie') ?? '');
    if (!ttCookies) return this.#throw(new SignError('sign_failed', `${who} answered without X-Set-TT-Cookie`));
    let result: WebcastResponse;
    try {
      result = this.#decoder.response(body);
    } catch (err) {
      if (err instanceof WebcastDecodeError)
        return this.#throw(new SignError('sign_failed', `${who} answered an undecodable fetch result (${err.reason})`));
      throw err;
    }
    if (!result.pushServer && !result.cursor)
      return this.#throw(new SignError('sign_failed', `${who} answered a fetch result without push server or cursor`));
    const corrected = headers.get('x-room-id');
    return { result, ttCookies, roomId: corrected && /^\d{1,20}$/.test(corrected) ? corrected : request.roomId };
  }

  #throw(err: SignError): never {
    throw err;
  }
}
