/**
 * HTTP for the Douyin source: undici (injectable fetch or dispatcher), a desktop User-Agent,
 * and a small cookie jar seeded from the configured (logged-in) cookie and fed by Set-Cookie.
 * Cookie values never appear in errors or logs.
 */
import { fetch as undiciFetch, type Dispatcher } from 'undici';
import { BridgeError } from '../../src/core/errors.js';

/** How the source reaches HTTP: undici's fetch by default; tests inject a dispatcher or fetch. */
export interface HttpDeps {
  fetch?: typeof undiciFetch;
  dispatcher?: Dispatcher;
}

/** A request to Douyin failed at the transport level (timeout, refused, reset). */
export class DouyinHttpError extends BridgeError {
  constructor(what: string, cause: unknown) {
    super('DOUYIN_HTTP', `douyin: ${what} failed: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

/** An answer, read completely. */
export interface HttpAnswer {
  status: number;
  headers: Headers;
  body: Buffer;
  text(): string;
}

/** Parses `a=1; b=2` into pairs; malformed pieces are ignored. */
export function parseCookieHeader(cookie: string): Map<string, string> {
  const jar = new Map<string, string>();
  for (const raw of cookie.split(';')) {
    const part = raw.trim();
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    jar.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return jar;
}

/** One source's HTTP client: the User-Agent and the cookie jar shared by every request. */
export class DouyinHttp {
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

  /** The Cookie header for every request and the WebSocket handshake. */
  cookieHeader(): string {
    return [...this.#jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  cookie(name: string): string | undefined {
    return this.#jar.get(name);
  }

  /** GET `url`; `what` names the call in errors. Set-Cookie answers land in the jar. */
  async get(url: string, what: string, options: { referer?: string; accept?: string; signal?: AbortSignal } = {}): Promise<HttpAnswer> {
    const headers: Record<string, string> = {
      'user-agent': this.userAgent,
      accept: options.accept ?? 'text/html,application/json;q=0.9,*/*;q=0.8',
      'accept-language': 'zh-CN,zh;q=0.9',
    };
    const cookie = this.cookieHeader();
    if (cookie) headers.cookie = cookie;
    if (options.referer) headers.referer = options.referer;
    const timeout = AbortSignal.timeout(this.#timeoutMs);
    try {
      const res = await (this.#deps.fetch ?? undiciFetch)(url, {
        headers,
        redirect: 'manual',
        signal: options.signal ? AbortSignal.any([options.signal, timeout]) : timeout,
        dispatcher: this.#deps.dispatcher,
      });
      for (const line of res.headers.getSetCookie()) {
        const pair = line.split(';', 1)[0] ?? '';
        const eq = pair.indexOf('=');
        if (eq > 0) this.#jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
      }
      const body = Buffer.from(await res.arrayBuffer());
      return { status: res.status, headers: res.headers, body, text: () => body.toString('utf8') };
    } catch (err) {
      if (options.signal?.aborted) throw options.signal.reason;
      throw new DouyinHttpError(what, err);
    }
  }
}
