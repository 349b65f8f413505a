/**
 * HTTP for both Bilibili modes: undici (injectable fetch or dispatcher), one User-Agent for every
 * request and the socket, and a cookie jar seeded from the configured cookie and fed by
 * Set-Cookie. Cookie values never appear in errors or logs.
 */
import { fetch as undiciFetch, type Dispatcher } from 'undici';
import { BridgeError } from '../../src/core/errors.js';
import { isObj, parseJsonLossless, type Obj } from './json.js';

/** How the source reaches HTTP: undici's fetch by default; tests inject a dispatcher or fetch. */
export interface HttpDeps {
  fetch?: typeof undiciFetch;
  dispatcher?: Dispatcher;
}

/** A request failed at the transport level (timeout, refused, reset) or answered non-JSON. */
export class BilibiliHttpError extends BridgeError {
  constructor(what: string, detail: string) {
    super('BILIBILI_HTTP', `bilibili: ${what} failed: ${detail}`);
  }
}

/** Bilibili answered with a non-zero `code`. */
export class BilibiliApiError extends BridgeError {
  readonly apiCode: number;

  constructor(what: string, apiCode: number, message: string) {
    super('BILIBILI_API', `bilibili: ${what} answered code ${apiCode}: ${message.slice(0, 200)}`);
    this.apiCode = apiCode;
  }
}

/** Parses `a=1; b=2` into pairs; malformed pieces are ignored. */
export function parseCookieHeader(cookie: string): Map<string, string> {
  const jar = new Map<string, string>();
  for (const raw of cookie.split(';')) {
    const part = raw.trim();
    const eq = part.indexOf('=');
    if (eq > 0) jar.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return jar;
}

/** The usual `{code, message, data}` envelope. */
export interface Envelope {
  code: number;
  message: string;
  data: Obj;
}

/** One source's HTTP client. */
export class BilibiliHttp {
  readonly userAgent: string;
  readonly #jar: Map<string, string>;
  readonly #deps: HttpDeps;
  readonly #timeoutMs: number;

  constructor(options: { userAgent: string; cookie: string; timeoutMs: number }, deps: HttpDeps = {}) {
    this.userAgent = options.userAgent;
    this.#jar = parseCookieHeader(options.cookie);
    this.#deps = deps;
    this.#timeoutMs = options.timeoutMs;
  }

  cookieHeader(): string {
    return [...this.#jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  cookie(name: string): string | undefined {
    return this.#jar.get(name) || undefined;
  }

  setCookie(name: string, value: string): void {
    this.#jar.set(name, value);
  }

  /**
   * Sends a request and reads the `{code, message, data}` envelope. `what` names the call in
   * errors. A non-zero code is returned, not thrown: callers decide what each code means.
   */
  async json(what: string, url: string, init: { method?: 'GET' | 'POST'; headers?: Record<string, string>; body?: Buffer; signal?: AbortSignal } = {}): Promise<Envelope> {
    const headers: Record<string, string> = {
      'user-agent': this.userAgent,
      accept: 'application/json, text/plain, */*',
      'accept-language': 'zh-CN,zh;q=0.9',
      referer: 'https://live.bilibili.com/',
      ...init.headers,
    };
    const cookie = this.cookieHeader();
    if (cookie) headers.cookie = cookie;
    const timeout = AbortSignal.timeout(this.#timeoutMs);
    let text: string;
    let status: number;
    try {
      const res = await (this.#deps.fetch ?? undiciFetch)(url, {
        method: init.method ?? 'GET',
        headers,
        body: init.body,
        redirect: 'manual',
        signal: init.signal ? AbortSignal.any([init.signal, timeout]) : timeout,
        dispatcher: this.#deps.dispatcher,
      });
      for (const line of res.headers.getSetCookie()) {
        const pair = line.split(';', 1)[0] ?? '';
        const eq = pair.indexOf('=');
        if (eq > 0) this.#jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
      }
      status = res.status;
      text = await res.text();
    } catch (err) {
      if (init.signal?.aborted) throw init.signal.reason;
      throw new BilibiliHttpError(what, err instanceof Error ? err.message : String(err));
    }
    let parsed: unknown;
    try {
      parsed = parseJsonLossless(text);
    } catch {
      throw new BilibiliHttpError(what, `HTTP ${status}, not JSON (${text.length} bytes)`);
    }
    if (!isObj(parsed) || typeof parsed.code !== 'number') throw new BilibiliHttpError(what, `HTTP ${status}, no numeric code`);
    return { code: parsed.code, message: typeof parsed.message === 'string' ? parsed.message : '', data: isObj(parsed.data) ? parsed.data : {} };
  }
}
