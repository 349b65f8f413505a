/**
 * AK/SK mode: every request signed with SDK-HMAC-SHA256 over the headers we send (host,
 * content-type, x-project-id, x-sdk-date, optional x-security-token and x-app-userid).
 */
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import { ClockSkewError } from '../errors.js';
import { sdkDate, signRequest } from '../signer.js';
import { MASK, type Authenticator, type PreparedRequest } from './types.js';

/** The access key pair (and temporary token), the project it signs for, and the injected clock and logger. */
export interface AkSkOptions {
  ak: string;
  sk: string;
  securityToken?: string;
  projectId: string;
  clock: Clock;
  logger: Logger;
}

/** AK/SK signing (see the module comment). */
export class AkSkAuth implements Authenticator {
  readonly kind = 'aksk' as const;
  readonly #o: AkSkOptions;
  /** Added to our clock when signing, once a skew has been measured and reauthentication asked. */
  #offsetMs = 0;
  #measuredSkewMs: number | undefined;

  constructor(options: AkSkOptions) {
    this.#o = options;
  }

  #sign(req: PreparedRequest): ReturnType<typeof signRequest> {
    req.headers['X-Sdk-Date'] = sdkDate(this.#o.clock.now() + this.#offsetMs);
    req.headers['X-Project-Id'] = this.#o.projectId;
    if (this.#o.securityToken !== undefined) req.headers['X-Security-Token'] = this.#o.securityToken;
    // undici writes Host from the URL exactly as url.host; sign that value.
    return signRequest(
      { method: req.method, url: req.url, headers: { ...req.headers, Host: req.url.host }, body: req.body },
      this.#o.ak,
      this.#o.sk,
    );
  }

  async authorize(req: PreparedRequest): Promise<void> {
    req.headers.Authorization = this.#sign(req).authorization;
  }

  preview(req: PreparedRequest): void {
    const s = this.#sign(req);
    if (req.headers['X-Security-Token'] !== undefined) req.headers['X-Security-Token'] = MASK;
    req.headers.Authorization = `SDK-HMAC-SHA256 Access=${MASK}, SignedHeaders=${s.signedHeaders}, Signature=${MASK}`;
  }

  async reauthenticate(): Promise<void> {
    if (this.#measuredSkewMs === undefined) return;
    // The keys cannot be renewed; what can be fixed is the date we sign with.
    this.#offsetMs = this.#measuredSkewMs;
    this.#o.logger.warn('signing with the server clock: the local clock is skewed; fix NTP', {
      skewMs: this.#measuredSkewMs,
      code: 'metastudio_clock_skew',
    });
    this.#measuredSkewMs = undefined;
  }

  clockOffsetMs(): number {
    return this.#offsetMs;
  }

  noteError(err: unknown): void {
    if (err instanceof ClockSkewError) this.#measuredSkewMs = this.#offsetMs + err.skewMs;
  }
}
