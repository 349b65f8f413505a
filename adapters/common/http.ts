/**
 * HTTP plumbing shared by the platform clients: undici (injectable fetch or dispatcher), a
 * per-request timeout joined with the caller's abort signal, no automatic redirects, and a cookie
 * jar seeded from configuration and fed by Set-Cookie. Cookie values never appear in errors or logs.
 */
import { fetch as undiciFetch, type Dispatcher } from 'undici';
import { networkError } from '../../src/core/net-error.js';

/** How a source reaches HTTP: undici's fetch by default; tests inject a dispatcher or fetch. */
export interface HttpDeps {
  fetch?: typeof undiciFetch;
  dispatcher?: Dispatcher;
}

/** An answer, read completely. */
export interface HttpAnswer {
  status: number;
  headers: Headers;
  body: Buffer;
  /** The body decoded as UTF-8 (a leading BOM dropped). */
  text(): string;
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

/** Cookies by name, in the order first seen. */
export class CookieJar {
  readonly #jar: Map<string, string>;

  /** Seeds the jar from a `Cookie:` header value (the configured cookie). */
  constructor(cookie: string) {
    this.#jar = parseCookieHeader(cookie);
  }

  /** The `Cookie:` header value ('' when empty). */
  header(): string {
    return [...this.#jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  get(name: string): string | undefined {
    return this.#jar.get(name);
  }

  set(name: string, value: string): void {
    this.#jar.set(name, value);
  }

  /** Takes the name=value of every Set-Cookie line; attributes are ignored. */
  absorb(headers: Headers): void {
    for (const line of headers.getSetCookie()) {
      const pair = line.split(';', 1)[0] ?? '';
      const eq = pair.indexOf('=');
      if (eq > 0) this.#jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
  }
}

/** One request: the jar's cookie is added to `headers`, and Set-Cookie answers land in it. */
export interface SendInit {
  method?: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: Buffer;
  signal?: AbortSignal;
  timeoutMs: number;
}

/**
 * Sends a request and reads the whole answer. If the caller's signal aborted, its reason is
 * thrown; any other transport failure (timeout, refused, reset) is passed to `fail` as a
 * NetworkError naming its cause, and `fail`'s error is thrown, so each platform keeps its own
 * error code.
 */
async function send(url: string, init: SendInit, jar: CookieJar, deps: HttpDeps, fail: (cause: unknown) => Error): Promise<HttpAnswer> {
  const headers = { ...init.headers };
  const cookie = jar.header();
  if (cookie) headers.cookie = cookie;
  const timeout = AbortSignal.timeout(init.timeoutMs);
  try {
    const res = await (deps.fetch ?? undiciFetch)(url, {
      method: init.method ?? 'GET',
      headers,
      body: init.body,
      redirect: 'manual',
      signal: init.signal ? AbortSignal.any([init.signal, timeout]) : timeout,
      dispatcher: deps.dispatcher,
    });
    jar.absorb(res.headers);
    const body = Buffer.from(await res.arrayBuffer());
    return { status: res.status, headers: res.headers, body, text: () => new TextDecoder().decode(body) };
  } catch (err) {
    if (init.signal?.aborted) throw init.signal.reason;
    // `fail` gets the cause in words (refused, DNS, TLS, reset, timeout), not "fetch failed".
    throw fail(networkError(err));
  }
}

/** A platform's HTTP client: one User-Agent, one cookie jar and one timeout for every request. */
export class CookieHttpClient {
  readonly userAgent: string;
  readonly #jar: CookieJar;
  readonly #deps: HttpDeps;
  readonly #timeoutMs: number;

  constructor(options: { userAgent: string; cookie: string; timeoutMs: number }, deps: HttpDeps = {}) {
    this.userAgent = options.userAgent;
    this.#jar = new CookieJar(options.cookie);
    this.#deps = deps;
    this.#timeoutMs = options.timeoutMs;
  }

  /** The Cookie header for every request and the WebSocket handshake. */
  cookieHeader(): string {
    return this.#jar.header();
  }

  cookie(name: string): string | undefined {
    return this.#jar.get(name);
  }

  setCookie(name: string, value: string): void {
    this.#jar.set(name, value);
  }

  /** Sends with this client's jar, dependencies and timeout; see {@link send}. */
  protected send(url: string, init: Omit<SendInit, 'timeoutMs'>, fail: (cause: unknown) => Error): Promise<HttpAnswer> {
    return send(url, { ...init, timeoutMs: this.#timeoutMs }, this.#jar, this.#deps, fail);
  }
}
