/**
 * The websocketinfo signature hook. Newer web clients add `__NS_hxfalcon` (computed by the page's
 * runtime) to websocketinfo; open clients send none and are served today. `none` sends none;
 * `service` asks the operator's HTTP service, so a signature can be added without a redesign.
 * The service is told the request (URL without the signature, path, principalId, liveStreamId),
 * never the cookie; its URL and token never reach a log line.
 */
import { fetch as undiciFetch } from 'undici';
import { BridgeError } from '../../src/core/errors.js';
import { describeNetworkError } from '../../src/core/net-error.js';
import type { HttpDeps } from '../common/http.js';
import type { KuaishouSignerConfig } from './config.js';

/** What a signature adds to the websocketinfo query. */
export interface WsInfoSignature {
  /** The `__NS_hxfalcon` value. */
  hxfalcon: string;
  /** A `caver` to send instead of the configured one. */
  caver?: string;
}

/** The request to sign. */
export interface WsInfoRequest {
  url: string;
  principalId: string;
  liveStreamId: string;
}

/** Signs websocketinfo requests (or not). */
export interface WsInfoSigner {
  readonly kind: 'none' | 'service';
  sign(request: WsInfoRequest, signal?: AbortSignal): Promise<WsInfoSignature | undefined>;
}

/** The signing service failed or answered without a signature. */
export class KuaishouSignerError extends BridgeError {
  constructor(message: string) {
    super('kuaishou_signer', message);
  }
}

/** The path websocketinfo is signed as (the page's runtime maps the API path to it). */
export const SIGNED_PATH = '/rest/k/live/websocket/info';

class ServiceSigner implements WsInfoSigner {
  readonly kind = 'service';

  constructor(
    private readonly config: Extract<KuaishouSignerConfig, { type: 'service' }>,
    private readonly http: HttpDeps,
  ) {}

  async sign(request: WsInfoRequest, signal?: AbortSignal): Promise<WsInfoSignature> {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    if (this.config.token) headers.authorization = `Bearer ${this.config.token}`;
    const timeout = AbortSignal.timeout(this.config.timeout_ms);
    let answer: unknown;
    let status = 0;
    try {
      const res = await (this.http.fetch ?? undiciFetch)(this.config.url, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          url: request.url,
          path: SIGNED_PATH,
          principal_id: request.principalId,
          live_stream_id: request.liveStreamId,
        }),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
        dispatcher: this.http.dispatcher,
      });
      status = res.status;
      answer = JSON.parse(await res.text());
    } catch (err) {
      if (signal?.aborted) throw signal.reason;
      throw new KuaishouSignerError(
        status ? `signing service answered HTTP ${status} without JSON` : `signing service unreachable: ${describeNetworkError(err).text}`,
      );
    }
    if (status !== 200) throw new KuaishouSignerError(`signing service answered HTTP ${status}`);
    const body = answer && typeof answer === 'object' ? (answer as Record<string, unknown>) : {};
    const hxfalcon = body.__NS_hxfalcon ?? body.signature;
    if (typeof hxfalcon !== 'string' || !hxfalcon) throw new KuaishouSignerError('signing service answered without __NS_hxfalcon');
    return typeof body.caver === 'string' && /^\d{1,4}$/.test(body.caver) ? { hxfalcon, caver: body.caver } : { hxfalcon };
  }
}

/** The configured signer. */
export function createWsInfoSigner(config: KuaishouSignerConfig, http: HttpDeps = {}): WsInfoSigner {
  if (config.type === 'service') return new ServiceSigner(config, http);
  return { kind: 'none', sign: () => Promise.resolve(undefined) };
}
