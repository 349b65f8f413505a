/**
 * HTTP for the TikTok source's unsigned calls (live page, room API, room info): one User-Agent
 * and one cookie jar (seeded with `tt-target-idc` and the configured cookie) over the shared
 * client (adapters/common/http.ts). Cookie values never appear in errors or logs.
 */
import { BridgeError } from '../../src/core/errors.js';
import { CookieHttpClient, type HttpAnswer, type HttpDeps } from '../common/http.js';

/** A request to TikTok failed at the transport level (timeout, refused, reset). */
export class TikTokHttpError extends BridgeError {
  constructor(what: string, cause: unknown) {
    super('tiktok_http', `tiktok: ${what} failed: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

/** The site the unsigned calls claim to come from. */
const ORIGIN = 'https://www.tiktok.com';

/** One source's HTTP client for TikTok itself (never the signer). */
export class TikTokHttp extends CookieHttpClient {
  constructor(options: { userAgent: string; cookie: string; targetIdc: string; timeoutMs: number }, deps: HttpDeps = {}) {
    super({ userAgent: options.userAgent, cookie: options.cookie, timeoutMs: options.timeoutMs }, deps);
    if (!this.cookie('tt-target-idc')) this.setCookie('tt-target-idc', options.targetIdc);
  }

  /** GET `url`; `what` names the call in errors. Set-Cookie answers land in the jar. */
  async get(url: string, what: string, options: { accept?: string; signal?: AbortSignal } = {}): Promise<HttpAnswer> {
    const headers: Record<string, string> = {
      'user-agent': this.userAgent,
      accept: options.accept ?? 'text/html,application/json;q=0.9,*/*;q=0.8',
      'accept-language': 'en-US,en;q=0.9',
      referer: `${ORIGIN}/`,
      origin: ORIGIN,
    };
    return this.send(url, { headers, signal: options.signal }, (err) => new TikTokHttpError(what, err));
  }
}
