/**
 * HTTP for both Bilibili modes: one User-Agent for every request and the socket, and the
 * `{code, message, data}` envelope, over the shared client (adapters/common/http.ts) whose jar is
 * seeded from the configured cookie.
 */
import { BridgeError } from '../../src/core/errors.js';
import { CookieHttpClient } from '../common/http.js';
import { isObj, parseJsonLossless, type Obj } from './json.js';

/** A request failed at the transport level (timeout, refused, reset) or answered non-JSON. */
export class BilibiliHttpError extends BridgeError {
  declare readonly code: 'bilibili_http';

  constructor(what: string, detail: string, options?: { cause?: unknown }) {
    super('bilibili_http', `bilibili: ${what} failed: ${detail}`, options);
  }
}

/** Bilibili answered with a non-zero `code`. */
export class BilibiliApiError extends BridgeError {
  declare readonly code: 'bilibili_api';
  readonly apiCode: number;

  constructor(what: string, apiCode: number, message: string) {
    super('bilibili_api', `bilibili: ${what} answered code ${apiCode}: ${message.slice(0, 200)}`);
    this.apiCode = apiCode;
  }
}

/** The usual `{code, message, data}` envelope. */
export interface Envelope {
  code: number;
  message: string;
  data: Obj;
}

/** One source's HTTP client. */
export class BilibiliHttp extends CookieHttpClient {
  /** An empty value counts as absent. */
  override cookie(name: string): string | undefined {
    return super.cookie(name) || undefined;
  }

  /**
   * Sends a request and reads the `{code, message, data}` envelope. `what` names the call in
   * errors. A non-zero code is returned, not thrown: callers decide what each code means.
   */
  async json(
    what: string,
    url: string,
    init: { method?: 'GET' | 'POST'; headers?: Record<string, string>; body?: Buffer; signal?: AbortSignal } = {},
  ): Promise<Envelope> {
    const headers: Record<string, string> = {
      'user-agent': this.userAgent,
      accept: 'application/json, text/plain, */*',
      'accept-language': 'zh-CN,zh;q=0.9',
      referer: 'https://live.bilibili.com/',
      ...init.headers,
    };
    const answer = await this.send(
      url,
      { method: init.method, headers, body: init.body, signal: init.signal },
      (err) => new BilibiliHttpError(what, err instanceof Error ? err.message : String(err), { cause: err }),
    );
    const status = answer.status;
    const text = answer.text();
    let parsed: unknown;
    try {
      parsed = parseJsonLossless(text);
    } catch {
      throw new BilibiliHttpError(what, `HTTP ${status}, not JSON (${text.length} bytes)`);
    }
    if (!isObj(parsed) || typeof parsed.code !== 'number') throw new BilibiliHttpError(what, `HTTP ${status}, no numeric code`);
    return {
      code: parsed.code,
      message: typeof parsed.message === 'string' ? parsed.message : '',
      data: isObj(parsed.data) ? parsed.data : {},
    };
  }
}
