/**
 * `signer.type: service` — asks an HTTP signing service. Request: POST JSON
 * `{"X-MS-STUB": stub}`; answer: JSON with `X-Bogus` (or `signature`, or `data.signature`).
 */
import { fetch as undiciFetch } from 'undici';
import { describeNetworkError } from '../../../src/core/net-error.js';
import type { HttpDeps } from '../../common/http.js';
import { SignerError, type Signer } from './types.js';

function pickSignature(body: unknown): string | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const b = body as Record<string, unknown>;
  const data = b.data && typeof b.data === 'object' ? (b.data as Record<string, unknown>) : {};
  for (const v of [b['X-Bogus'], b.signature, data['X-Bogus'], data.signature]) if (typeof v === 'string' && v !== '') return v;
  return undefined;
}

/** Signs through a remote service; its URL and token never reach a log line. */
export class ServiceSigner implements Signer {
  readonly kind = 'service';
  readonly #url: string;
  readonly #token: string | undefined;
  readonly #timeoutMs: number;
  readonly #http: HttpDeps;

  constructor(options: { url: string; token?: string; timeoutMs: number }, http: HttpDeps = {}) {
    this.#url = options.url;
    this.#token = options.token;
    this.#timeoutMs = options.timeoutMs;
    this.#http = http;
  }

  async sign(stub: string, signal?: AbortSignal): Promise<string> {
    const timeout = AbortSignal.timeout(this.#timeoutMs);
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    if (this.#token) headers.authorization = `Bearer ${this.#token}`;
    let status: number;
    let body: unknown;
    try {
      const res = await (this.#http.fetch ?? undiciFetch)(this.#url, {
        method: 'POST',
        headers,
        body: JSON.stringify({ 'X-MS-STUB': stub }),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
        dispatcher: this.#http.dispatcher,
      });
      status = res.status;
      const text = await res.text();
      body = text ? JSON.parse(text) : undefined;
    } catch (err) {
      // A body that is not JSON is a SyntaxError; anything else never got an answer.
      if (err instanceof SyntaxError) throw new SignerError('signing service answered non-JSON');
      throw new SignerError(`signing service unreachable: ${describeNetworkError(err).text}`);
    }
    if (status !== 200) throw new SignerError(`signing service answered HTTP ${status}`);
    const signature = pickSignature(body);
    if (!signature) throw new SignerError('signing service answered without a signature');
    return signature;
  }
}
