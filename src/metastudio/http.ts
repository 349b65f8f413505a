/**
 * The HTTP transport: one keep-alive undici Agent (or an injected dispatcher), per-request
 * timeouts, and an observation for every exchange. It returns any answer, whatever the status;
 * only the absence of an answer throws (MetaStudioTransportError).
 */
import { Agent, request, type Dispatcher } from 'undici';
import type { Clock } from '../core/clock.js';
import type { RequestObserver } from '../core/status.js';
import { MetaStudioTransportError, type Operation } from './errors.js';

const DEFAULTS = { keepAliveTimeoutMs: 30_000, connections: 4, maxBodyBytes: 1024 * 1024 } as const;

/** One request to send; `operation` labels its observation and errors. */
export interface HttpRequest {
  operation: Operation;
  method: 'GET' | 'POST';
  url: URL;
  headers: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}

/** Any answer received, whatever its status; the body is read whole as text. */
export interface HttpAnswer {
  status: number;
  headers: Record<string, string>;
  text: string;
  requestId?: string;
  durationMs: number;
}

/** The transport's clock, per-request timeout, observer and optional injected dispatcher. */
export interface TransportOptions {
  clock: Clock;
  timeoutMs: number;
  observer?: RequestObserver;
  /** Injected dispatcher (a test Agent, a proxy); when absent the transport owns an Agent. */
  dispatcher?: Dispatcher;
}

function flatten(headers: Dispatcher.ResponseData['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

/** The HTTP transport described in the module comment. */
export class HttpTransport {
  readonly #options: TransportOptions;
  readonly #dispatcher: Dispatcher;
  readonly #owned: boolean;

  constructor(options: TransportOptions) {
    this.#options = options;
    this.#owned = options.dispatcher === undefined;
    this.#dispatcher =
      options.dispatcher ?? new Agent({ keepAliveTimeout: DEFAULTS.keepAliveTimeoutMs, connections: DEFAULTS.connections });
  }

  /** Sends one request and reads the whole answer. */
  async send(req: HttpRequest): Promise<HttpAnswer> {
    const { clock, timeoutMs, observer } = this.#options;
    const started = clock.now();
    // On the injected clock, so a test decides when a request has waited too long.
    const timeout = new AbortController();
    const timer = clock.setTimeout(() => timeout.abort(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    const signal = req.signal ? AbortSignal.any([req.signal, timeout.signal]) : timeout.signal;
    const observe = (status: string, serverDate?: string) =>
      observer?.({
        operation: req.operation,
        status,
        durationMs: Math.max(0, clock.now() - started),
        ...(serverDate === undefined ? {} : { serverDate }),
      });
    try {
      const res = await request(req.url, {
        dispatcher: this.#dispatcher,
        method: req.method,
        headers: req.headers,
        body: req.body,
        signal,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      const text = await readCapped(res.body);
      const headers = flatten(res.headers);
      observe(String(res.statusCode), headers.date);
      return { status: res.statusCode, headers, text, requestId: headers['x-request-id'], durationMs: Math.max(0, clock.now() - started) };
    } catch (err) {
      const code = (err as { code?: string }).code;
      const kind =
        timeout.signal.aborted || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT'
          ? 'timeout'
          : req.signal?.aborted
            ? 'aborted'
            : 'network';
      observe(kind === 'aborted' ? 'network' : kind);
      throw new MetaStudioTransportError(kind, { operation: req.operation }, err);
    } finally {
      clock.clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    if (this.#owned) await this.#dispatcher.close();
  }
}

/** Reads a body as UTF-8, keeping at most 1 MiB (no API answer is near that; garbage may be). */
async function readCapped(body: Dispatcher.ResponseData['body']): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    if (size < DEFAULTS.maxBodyBytes) chunks.push(chunk);
    size += chunk.length;
  }
  return Buffer.concat(chunks).subarray(0, DEFAULTS.maxBodyBytes).toString('utf8');
}
