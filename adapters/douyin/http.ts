/**
 * HTTP for the Douyin source: a desktop User-Agent and Douyin's headers over the shared client
 * (adapters/common/http.ts), whose jar is seeded from the configured (logged-in) cookie.
 */
import { BridgeError } from '../../src/core/errors.js';
import { CookieHttpClient, type HttpAnswer } from '../common/http.js';

/** A request to Douyin failed at the transport level (timeout, refused, reset). */
export class DouyinHttpError extends BridgeError {
  declare readonly code: 'douyin_http';

  constructor(what: string, cause: unknown) {
    super('douyin_http', `douyin: ${what} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/** One source's HTTP client: the User-Agent and the cookie jar shared by every request. */
export class DouyinHttp extends CookieHttpClient {
  /** GET `url`; `what` names the call in errors. Set-Cookie answers land in the jar. */
  async get(url: string, what: string, options: { referer?: string; accept?: string; signal?: AbortSignal } = {}): Promise<HttpAnswer> {
    const headers: Record<string, string> = {
      'user-agent': this.userAgent,
      accept: options.accept ?? 'text/html,application/json;q=0.9,*/*;q=0.8',
      'accept-language': 'zh-CN,zh;q=0.9',
    };
    if (options.referer) headers.referer = options.referer;
    return this.send(url, { headers, signal: options.signal }, (err) => new DouyinHttpError(what, err));
  }
}
