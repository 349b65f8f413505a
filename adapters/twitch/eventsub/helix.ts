/**
 * Helix, the Twitch API, for what the EventSub source needs: the channel's and the token
 * owner's user ids, the stream (live or not, viewer count), and creating a WebSocket
 * subscription. Every call carries `Authorization: Bearer <token>` and `Client-Id`; neither
 * ever appears in an error or a log line.
 */
import { z } from 'zod';
import { BridgeError } from '../../../src/core/errors.js';
import { CookieHttpClient, type HttpDeps } from '../../common/http.js';

/** Helix could not be reached, or answered what is not Helix. */
export class HelixHttpError extends BridgeError {
  constructor(what: string, detail: string) {
    super('twitch_helix_http', `twitch helix: ${what} failed: ${detail}`);
  }
}

/**
 * Helix refused: 401 (token invalid or expired, or issued to another client id), 403 (a scope
 * or a role is missing), 409 (the subscription exists), 429, 4xx/5xx.
 */
export class HelixRefusedError extends BridgeError {
  readonly status: number;

  constructor(what: string, status: number, message: string) {
    super(
      status === 401 ? 'twitch_helix_unauthorized' : 'twitch_helix_refused',
      `twitch helix: ${what} answered HTTP ${status}: ${message.slice(0, 300)}`,
    );
    this.status = status;
  }
}

/** A user as /users describes them. */
export interface HelixUser {
  id: string;
  login: string;
  displayName: string;
}

/** The channel's stream right now, or undefined when it is offline. */
export interface HelixStream {
  id: string;
  viewerCount: number;
  title: string;
}

/** What Twitch's OAuth server says of a token (`GET /oauth2/validate`). */
export interface TokenInfo {
  clientId: string;
  /** Absent for an app access token. */
  userId: string | undefined;
  login: string | undefined;
  scopes: string[];
  /** Seconds left; 0 for a token that does not expire. */
  expiresIn: number;
}

/** One subscription to create on a WebSocket session. */
export interface SubscriptionSpec {
  type: string;
  version: string;
  condition: Record<string, string>;
}

const UsersAnswer = z.looseObject({
  data: z.array(z.looseObject({ id: z.string().min(1).max(64), login: z.string(), display_name: z.string() })),
});
const StreamsAnswer = z.looseObject({
  data: z.array(
    z.looseObject({
      id: z.string(),
      viewer_count: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
      title: z.string().default(''),
    }),
  ),
});
const ErrorAnswer = z.looseObject({ message: z.string() });
const ValidateAnswer = z.looseObject({
  client_id: z.string(),
  login: z.string().optional(),
  user_id: z.string().min(1).max(64).optional(),
  scopes: z.array(z.string()).nullable().default([]),
  expires_in: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).default(0),
});

/** One source's Helix client. */
export class Helix extends CookieHttpClient {
  readonly #base: string;
  readonly #clientId: string;
  readonly #token: string;
  readonly #oauthBase: string | undefined;

  constructor(options: { base: string; clientId: string; token: string; timeoutMs: number; oauthBase?: string }, deps: HttpDeps = {}) {
    super({ userAgent: 'metastudio-live-bridge', cookie: '', timeoutMs: options.timeoutMs }, deps);
    this.#base = options.base.replace(/\/+$/, '');
    this.#oauthBase = options.oauthBase?.replace(/\/+$/, '');
    this.#clientId = options.clientId;
    this.#token = options.token.replace(/^oauth:/, '');
  }

  /** One exchange: the answer's JSON when 2xx; a refusal (with Twitch's message) or a failure otherwise. */
  async #exchange(
    what: string,
    url: string,
    init: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: Buffer; signal: AbortSignal },
  ): Promise<unknown> {
    const answer = await this.send(url, init, (err) => new HelixHttpError(what, err instanceof Error ? err.message : String(err)));
    let json: unknown;
    try {
      json = JSON.parse(answer.text());
    } catch {
      json = undefined;
    }
    if (answer.status < 200 || answer.status > 299) {
      const parsed = ErrorAnswer.safeParse(json);
      throw new HelixRefusedError(what, answer.status, parsed.success ? parsed.data.message : `${answer.body.length} bytes`);
    }
    if (json === undefined) throw new HelixHttpError(what, `HTTP ${answer.status}, not JSON`);
    return json;
  }

  async #call(what: string, path: string, signal: AbortSignal, body?: unknown): Promise<{ json: unknown }> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.#token}`,
      'client-id': this.#clientId,
      accept: 'application/json',
      'user-agent': this.userAgent,
    };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const json = await this.#exchange(what, `${this.#base}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers,
      body: body === undefined ? undefined : Buffer.from(JSON.stringify(body)),
      signal,
    });
    return { json };
  }

  async #users(what: string, path: string, signal: AbortSignal): Promise<HelixUser | undefined> {
    const { json } = await this.#call(what, path, signal);
    const parsed = UsersAnswer.safeParse(json);
    if (!parsed.success) throw new HelixHttpError(what, 'the answer is not a user list');
    const u = parsed.data.data[0];
    return u ? { id: u.id, login: u.login, displayName: u.display_name } : undefined;
  }

  /** The user with this login, or undefined when there is none. */
  userByLogin(login: string, signal: AbortSignal): Promise<HelixUser | undefined> {
    return this.#users('users (channel)', `/users?login=${encodeURIComponent(login)}`, signal);
  }

  /** The token's owner (/users without a query). */
  async tokenUser(signal: AbortSignal): Promise<HelixUser> {
    const user = await this.#users('users (token owner)', '/users', signal);
    if (!user)
      throw new HelixHttpError('users (token owner)', 'no user for this token (an app token? EventSub over WebSocket needs a user token)');
    return user;
  }

  /** The channel's live stream, or undefined when offline. */
  async stream(userId: string, signal: AbortSignal): Promise<HelixStream | undefined> {
    const { json } = await this.#call('streams', `/streams?user_id=${encodeURIComponent(userId)}`, signal);
    const parsed = StreamsAnswer.safeParse(json);
    if (!parsed.success) throw new HelixHttpError('streams', 'the answer is not a stream list');
    const s = parsed.data.data[0];
    return s ? { id: s.id, viewerCount: s.viewer_count, title: s.title } : undefined;
  }

  /** Creates one subscription on a WebSocket session (Helix answers 202 Accepted). */
  async subscribe(spec: SubscriptionSpec, sessionId: string, signal: AbortSignal): Promise<void> {
    await this.#call(`create subscription ${spec.type}`, '/eventsub/subscriptions', signal, {
      type: spec.type,
      version: spec.version,
      condition: spec.condition,
      transport: { method: 'websocket', session_id: sessionId },
    });
  }

  /**
   * The token as Twitch's OAuth server describes it: its client id, user and scopes. Helix itself
   * never lists a token's scopes; only `check --online` asks (the running source learns of a
   * missing scope from the 403 of one subscription).
   */
  async validate(signal: AbortSignal): Promise<TokenInfo> {
    const what = 'oauth2 validate';
    if (!this.#oauthBase) throw new HelixHttpError(what, 'no oauth URL configured');
    const json = await this.#exchange(what, `${this.#oauthBase}/validate`, {
      method: 'GET',
      headers: { authorization: `OAuth ${this.#token}`, accept: 'application/json', 'user-agent': this.userAgent },
      signal,
    });
    const parsed = ValidateAnswer.safeParse(json);
    if (!parsed.success) throw new HelixHttpError(what, 'the answer is not a token description');
    const v = parsed.data;
    return { clientId: v.client_id, userId: v.user_id, login: v.login, scopes: v.scopes ?? [], expiresIn: v.expires_in };
  }
}
