/**
 * Password mode: an IAM user logs in (POST {iam}/v3/auth/tokens, password method, scoped to the
 * project); the token from X-Subject-Token is cached and renewed before `expires_at`, and once
 * more when MetaStudio answers 401 (reauthenticate).
 */
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import { errorFromAnswer, jsonBody, type Mask } from '../answers.js';
import { MetaStudioResponseError, MetaStudioSetupError } from '../errors.js';
import type { HttpTransport } from '../http.js';
import { MASK, type Authenticator, type PreparedRequest } from './types.js';

const DEFAULTS = {
  /** Renew this long before IAM's expiry, so a request never carries a token about to lapse. */
  renewBeforeMs: 60 * 60_000,
  /** IAM tokens last 24 h; used only when an answer lacks a readable expires_at. */
  fallbackLifetimeMs: 23 * 3600_000,
} as const;

/** IAM's endpoint for a MetaStudio endpoint: https://iam.<region>.myhuaweicloud.com. */
export function deriveIamEndpoint(endpoint: string): string {
  const host = new URL(endpoint).hostname;
  const m = /^[a-z0-9-]+\.([a-z]{2}-[a-z]+-\d+)\.(myhuaweicloud\.com)$/.exec(host);
  if (!m) {
    throw new MetaStudioSetupError(
      `cannot derive the IAM endpoint from metastudio.endpoint host "${host}": set metastudio.auth.iam_endpoint (e.g. https://iam.cn-north-4.myhuaweicloud.com)`,
    );
  }
  return `https://iam.${m[1]}.${m[2]}`;
}

/** The IAM account and endpoint, plus the injected transport, clock, logger and secret mask. */
export interface PasswordOptions {
  user: string;
  password: string;
  domain: string;
  projectId: string;
  iamEndpoint: string;
  transport: HttpTransport;
  clock: Clock;
  logger: Logger;
  mask: Mask;
  /** Registers the token the moment IAM hands it out (see SinkDeps.secrets). */
  secret?: (value: string) => void;
}

/** IAM password login with a cached, renewed token (see the module comment). */
export class PasswordAuth implements Authenticator {
  readonly kind = 'password' as const;
  readonly #o: PasswordOptions;
  #token: { value: string; expiresAt: number } | undefined;
  #login: Promise<string> | undefined;

  constructor(options: PasswordOptions) {
    this.#o = options;
  }

  async #logIn(signal?: AbortSignal): Promise<string> {
    const { transport, clock, logger, mask } = this.#o;
    const body = JSON.stringify({
      auth: {
        identity: {
          methods: ['password'],
          password: { user: { name: this.#o.user, password: this.#o.password, domain: { name: this.#o.domain } } },
        },
        scope: { project: { id: this.#o.projectId } },
      },
    });
    const url = new URL('/v3/auth/tokens?nocatalog=true', this.#o.iamEndpoint);
    const answer = await transport.send({
      operation: 'iam_token',
      method: 'POST',
      url,
      headers: { 'Content-Type': 'application/json;charset=utf8' },
      body,
      signal,
    });
    if (answer.status !== 201 && answer.status !== 200) {
      throw errorFromAnswer(answer, 'iam_token', { now: clock.now(), mask, signed: false });
    }
    const token = answer.headers['x-subject-token'];
    if (token) this.#o.secret?.(token);
    if (token === undefined || token === '')
      throw new MetaStudioResponseError(
        { operation: 'iam_token', status: answer.status, requestId: answer.requestId },
        'no X-Subject-Token header',
      );
    const info = jsonBody(answer, 'iam_token').token as { expires_at?: unknown } | undefined;
    const parsedExpiry = typeof info?.expires_at === 'string' ? Date.parse(info.expires_at) : Number.NaN;
    const expiresAt = Number.isNaN(parsedExpiry) ? clock.now() + DEFAULTS.fallbackLifetimeMs : parsedExpiry;
    this.#token = { value: token, expiresAt };
    logger.info('IAM token obtained', { expiresAt: new Date(expiresAt).toISOString(), requestId: answer.requestId });
    return token;
  }

  /** One login at a time; concurrent callers share it. */
  #sharedLogIn(signal?: AbortSignal): Promise<string> {
    this.#login ??= this.#logIn(signal).finally(() => {
      this.#login = undefined;
    });
    return this.#login;
  }

  async authorize(req: PreparedRequest, signal?: AbortSignal): Promise<void> {
    const cached = this.#token;
    const fresh = cached !== undefined && this.#o.clock.now() < cached.expiresAt - DEFAULTS.renewBeforeMs;
    req.headers['X-Auth-Token'] = fresh ? cached.value : await this.#sharedLogIn(signal);
  }

  preview(req: PreparedRequest): void {
    req.headers['X-Auth-Token'] = MASK;
  }

  async reauthenticate(): Promise<void> {
    this.#token = undefined;
    await this.#sharedLogIn();
  }

  noteError(): void {}

  clockOffsetMs(): number {
    return 0;
  }
}
