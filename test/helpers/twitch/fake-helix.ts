/**
 * The HTTP half of the fake Twitch API: /helix/users, /helix/streams,
 * POST /helix/eventsub/subscriptions and the OAuth server's GET /oauth2/validate (the token's
 * client id, user, scopes and expiry, or 401 `invalid access token`), with the real checks (bearer token and Client-Id → 401;
 * scope and role → 403; type and version → 400; a session that is not connected → 400;
 * duplicates → 409) and the real 202 answer. Every request is recorded on the API.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FakeSubscription, FakeToken, FakeTwitchApi } from './fake-eventsub.js';

/** Subscription type → the version Twitch serves and the scope it needs ('' = none). */
const TYPES: Record<string, { version: string; scope: string }> = {
  'channel.follow': { version: '2', scope: 'moderator:read:followers' },
  'channel.subscribe': { version: '1', scope: 'channel:read:subscriptions' },
  'channel.subscription.message': { version: '1', scope: 'channel:read:subscriptions' },
  'channel.subscription.gift': { version: '1', scope: 'channel:read:subscriptions' },
  'channel.cheer': { version: '1', scope: 'bits:read' },
  'stream.online': { version: '1', scope: '' },
  'stream.offline': { version: '1', scope: '' },
};

/** One Helix request as received. */
export interface HelixRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
  status: number;
}

/** Helix over the API's state. */
export class FakeHelix {
  readonly #api: FakeTwitchApi;

  constructor(api: FakeTwitchApi) {
    this.#api = api;
  }

  #answer(res: ServerResponse, record: HelixRequest, status: number, body: unknown): void {
    record.status = status;
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  #error(res: ServerResponse, record: HelixRequest, status: number, message: string): void {
    const error = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict' }[status] ?? 'Error';
    this.#answer(res, record, status, { error, status, message });
  }

  /** Answers one Helix request. */
  handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const record: HelixRequest = {
        method: req.method ?? 'GET',
        path: url.pathname.replace(/^\/helix/, ''),
        query: url.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        status: 0,
      };
      this.#api.requests.push(record);
      if (this.#api.failWith !== undefined) return this.#error(res, record, this.#api.failWith, 'fake failure');
      if (url.pathname === '/oauth2/validate') return this.#validate(req, res, record);
      const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      const token = bearer === undefined ? undefined : this.#api.options.tokens[bearer];
      if (!token) return this.#error(res, record, 401, 'Invalid OAuth token');
      if (req.headers['client-id'] !== (token.clientId ?? this.#api.options.clientId))
        return this.#error(res, record, 401, 'Client ID and OAuth token do not match');
      const route = `${record.method} ${record.path}`;
      switch (route) {
        case 'GET /users': {
          const logins = url.searchParams.getAll('login');
          const found =
            logins.length > 0
              ? this.#api.options.users.filter((u) => logins.includes(u.login))
              : this.#api.options.users.filter((u) => !token.app && u.id === token.userId);
          return this.#answer(res, record, 200, {
            data: found.map((u) => ({ id: u.id, login: u.login, display_name: u.displayName, type: '', broadcaster_type: 'affiliate' })),
          });
        }
        case 'GET /streams': {
          const ids = url.searchParams.getAll('user_id');
          const data = ids.flatMap((id) => {
            const s = this.#api.options.streams?.[id];
            const u = this.#api.options.users.find((x) => x.id === id);
            return s && u
              ? [
                  {
                    id: s.id,
                    user_id: id,
                    user_login: u.login,
                    user_name: u.displayName,
                    type: 'live',
                    title: s.title,
                    viewer_count: s.viewerCount,
                  },
                ]
              : [];
          });
          return this.#answer(res, record, 200, { data, pagination: {} });
        }
        case 'POST /eventsub/subscriptions':
          if (this.#api.slowSubscribes > 0) {
            this.#api.slowSubscribes -= 1;
            setTimeout(() => this.#createSubscription(res, record, token), this.#api.subscribeDelayMs);
            return;
          }
          return this.#createSubscription(res, record, token);
        default:
          return this.#error(res, record, 404, 'Not Found');
      }
    });
  }

  /** GET /oauth2/validate with `Authorization: OAuth <token>`, as id.twitch.tv answers it. */
  #validate(req: IncomingMessage, res: ServerResponse, record: HelixRequest): void {
    const given = /^OAuth (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const token = given === undefined ? undefined : this.#api.options.tokens[given];
    if (req.method !== 'GET') return this.#error(res, record, 404, 'Not Found');
    if (!token) return this.#answer(res, record, 401, { status: 401, message: 'invalid access token' });
    const user = this.#api.options.users.find((u) => u.id === token.userId);
    const body = token.app
      ? { client_id: token.clientId ?? this.#api.options.clientId, scopes: token.scopes, expires_in: token.expiresIn ?? 14_400 }
      : {
          client_id: token.clientId ?? this.#api.options.clientId,
          login: user?.login ?? '',
          scopes: token.scopes,
          user_id: token.userId,
          expires_in: token.expiresIn ?? 14_400,
        };
    this.#answer(res, record, 200, body);
  }

  #createSubscription(res: ServerResponse, record: HelixRequest, token: FakeToken): void {
    let body: { type?: string; version?: string; condition?: Record<string, string>; transport?: { method?: string; session_id?: string } };
    try {
      body = JSON.parse(record.body) as typeof body;
    } catch {
      return this.#error(res, record, 400, 'malformed body');
    }
    const known = body.type === undefined ? undefined : TYPES[body.type];
    if (!known || body.version !== known.version) return this.#error(res, record, 400, 'invalid subscription type and version');
    const condition = body.condition ?? {};
    const conn = this.#api.connections.find((c) => c.sessionId === body.transport?.session_id);
    if (body.transport?.method !== 'websocket' || !conn || !conn.open) {
      return this.#error(res, record, 400, 'websocket transport session does not exist or has already disconnected');
    }
    if (known.scope !== '' && !token.scopes.includes(known.scope))
      return this.#error(res, record, 403, 'subscription missing proper authorization');
    const broadcaster = condition.broadcaster_user_id ?? '';
    if (body.type === 'channel.follow') {
      const mods = this.#api.options.moderators?.[broadcaster] ?? [];
      if (condition.moderator_user_id !== token.userId || (token.userId !== broadcaster && !mods.includes(token.userId))) {
        return this.#error(res, record, 403, 'subscription missing proper authorization');
      }
    } else if (known.scope !== '' && broadcaster !== token.userId) {
      return this.#error(res, record, 403, 'subscription missing proper authorization');
    }
    const same = (s: FakeSubscription) =>
      s.type === body.type && s.sessionId === conn.sessionId && JSON.stringify(s.condition) === JSON.stringify(condition);
    if (this.#api.subscriptions.some(same)) return this.#error(res, record, 409, 'subscription already exists');
    const sub: FakeSubscription = {
      id: randomUUID(),
      type: body.type!,
      version: body.version,
      condition,
      sessionId: conn.sessionId,
      createdAt: new Date().toISOString(),
    };
    this.#api.subscriptions.push(sub);
    this.#answer(res, record, 202, {
      data: [
        {
          id: sub.id,
          status: 'enabled',
          type: sub.type,
          version: sub.version,
          condition,
          created_at: sub.createdAt,
          transport: { method: 'websocket', session_id: conn.sessionId, connected_at: sub.createdAt },
          cost: 0,
        },
      ],
      total: this.#api.subscriptions.length,
      total_cost: 0,
      max_total_cost: 10,
    });
  }
}
