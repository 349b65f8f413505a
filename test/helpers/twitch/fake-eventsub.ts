/**
 * A fake Twitch API on 127.0.0.1: Helix over HTTP (/helix/users, /helix/streams,
 * POST /helix/eventsub/subscriptions) and the EventSub WebSocket on the same port, speaking the
 * real contract. Helix checks the bearer token and the Client-Id on every call (401), the scope
 * and role a subscription needs (403), its version, duplicates (409) and that the session is
 * connected (400), and answers 202 with the subscription. The socket sends session_welcome at
 * once and closes with 4003 when no subscription arrives within the deadline; a test drives
 * keepalives, notifications, revocations and session_reconnect (to a second URL on which the
 * subscriptions carry over). Everything is recorded.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/** A Twitch user. */
export interface FakeUser {
  id: string;
  login: string;
  displayName: string;
}

/** A token the fake accepts: its owner and scopes. */
export interface FakeToken {
  userId: string;
  scopes: string[];
}

export interface FakeTwitchApiOptions {
  clientId: string;
  tokens: Record<string, FakeToken>;
  users: FakeUser[];
  /** User ids that moderate each broadcaster (by broadcaster id). */
  moderators?: Record<string, string[]>;
  /** Live streams by broadcaster id (mutable: tests start and end streams). */
  streams?: Record<string, { id: string; viewerCount: number; title: string }>;
  /** A session with no subscription this long after its welcome is closed with 4003 (real time). */
  subscriptionDeadlineMs?: number;
}

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

/** A created subscription. */
export interface FakeSubscription {
  id: string;
  type: string;
  version: string;
  condition: Record<string, string>;
  sessionId: string;
  createdAt: string;
}

/** One Helix request as received. */
export interface HelixRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
  status: number;
}

/** One accepted EventSub socket. */
export class FakeEventSubConnection {
  readonly path: string;
  readonly sessionId: string;
  readonly keepaliveSeconds: number;
  /** Every frame the server sent, parsed. */
  readonly sent: { metadata: { message_id: string; message_type: string }; payload: unknown }[] = [];
  /** Text the client sent (EventSub clients must send nothing: Twitch closes with 4001). */
  readonly received: string[] = [];
  closedBy: 'client' | 'server' | undefined;
  closeCode: number | undefined;
  readonly #ws: WebSocket;
  readonly #api: FakeTwitchApi;
  #deadline: NodeJS.Timeout | undefined;

  constructor(ws: WebSocket, req: IncomingMessage, api: FakeTwitchApi, sessionId: string) {
    this.#ws = ws;
    this.#api = api;
    this.sessionId = sessionId;
    const url = new URL(req.url ?? '/', 'ws://127.0.0.1');
    this.path = `${url.pathname}${url.search}`;
    const asked = Number(url.searchParams.get('keepalive_timeout_seconds') ?? '10');
    this.keepaliveSeconds = asked >= 10 && asked <= 600 ? asked : 10;
    ws.on('message', (data) => {
      this.received.push(data.toString());
      this.close(4001, 'client sent inbound traffic');
    });
    ws.on('close', (code) => {
      this.closeCode ??= code;
      this.closedBy ??= 'client';
      if (this.#deadline) clearTimeout(this.#deadline);
      // A plain disconnect ends the session: Twitch drops its subscriptions (moved ones live on).
      for (let i = api.subscriptions.length - 1; i >= 0; i -= 1)
        if (api.subscriptions[i]!.sessionId === sessionId) api.subscriptions.splice(i, 1);
    });
  }

  get open(): boolean {
    return this.#ws.readyState === this.#ws.OPEN;
  }

  /** The subscriptions bound to this session. */
  subscriptions(): FakeSubscription[] {
    return this.#api.subscriptions.filter((s) => s.sessionId === this.sessionId);
  }

  /** Sends one frame with fresh metadata; returns its message id. */
  frame(type: string, payload: unknown, extra: { messageId?: string; timestamp?: string; subscription?: FakeSubscription } = {}): string {
    const id = extra.messageId ?? randomUUID();
    const metadata: Record<string, string> = {
      message_id: id,
      message_type: type,
      message_timestamp: extra.timestamp ?? new Date().toISOString(),
    };
    if (extra.subscription) {
      metadata.subscription_type = extra.subscription.type;
      metadata.subscription_version = extra.subscription.version;
    }
    const message = { metadata, payload };
    this.sent.push(message as (typeof this.sent)[number]);
    this.#ws.send(JSON.stringify(message));
    return id;
  }

  welcome(): void {
    this.frame('session_welcome', {
      session: {
        id: this.sessionId,
        status: 'connected',
        connected_at: new Date().toISOString(),
        keepalive_timeout_seconds: this.keepaliveSeconds,
        reconnect_url: null,
        recovery_url: null,
      },
    });
    const ms = this.#api.options.subscriptionDeadlineMs ?? 10_000;
    this.#deadline = setTimeout(() => {
      if (this.subscriptions().length === 0) this.close(4003, 'connection unused');
    }, ms);
  }

  keepalive(): void {
    this.frame('session_keepalive', {});
  }

  #subscription(type: string): FakeSubscription {
    const sub = this.subscriptions().find((s) => s.type === type);
    if (!sub) throw new Error(`fake eventsub: session ${this.sessionId} has no ${type} subscription`);
    return sub;
  }

  #payloadSubscription(sub: FakeSubscription, status = 'enabled') {
    return {
      id: sub.id,
      status,
      type: sub.type,
      version: sub.version,
      cost: 0,
      condition: sub.condition,
      transport: { method: 'websocket', session_id: sub.sessionId },
      created_at: sub.createdAt,
    };
  }

  /** A notification of a subscribed type (throws if the session holds no such subscription). */
  notify(type: string, event: unknown, extra: { messageId?: string; timestamp?: string } = {}): string {
    const sub = this.#subscription(type);
    return this.frame('notification', { subscription: this.#payloadSubscription(sub), event }, { ...extra, subscription: sub });
  }

  /** A revocation: the subscription is gone. */
  revoke(type: string, status: string): void {
    const sub = this.#subscription(type);
    this.#api.subscriptions.splice(this.#api.subscriptions.indexOf(sub), 1);
    this.frame('revocation', { subscription: this.#payloadSubscription(sub, status) }, { subscription: sub });
  }

  /** session_reconnect pointing at a second URL on this server; the subscriptions move there. */
  sendReconnect(): string {
    const url = `${this.#api.wsBase}/reconnect?from=${encodeURIComponent(this.sessionId)}`;
    this.frame('session_reconnect', {
      session: {
        id: this.sessionId,
        status: 'reconnecting',
        keepalive_timeout_seconds: null,
        reconnect_url: url,
        connected_at: new Date().toISOString(),
      },
    });
    return url;
  }

  close(code: number, reason: string): void {
    this.closedBy ??= 'server';
    this.closeCode ??= code;
    this.#ws.close(code, reason);
  }

  terminate(): void {
    this.closedBy ??= 'server';
    this.#ws.terminate();
  }
}

/** The fake API and socket server. */
export class FakeTwitchApi {
  readonly options: FakeTwitchApiOptions;
  readonly requests: HelixRequest[] = [];
  readonly subscriptions: FakeSubscription[] = [];
  readonly connections: FakeEventSubConnection[] = [];
  /** When set, every Helix call answers this status (500, 503 ...). */
  failWith: number | undefined;
  readonly #server: Server;
  readonly #wss: WebSocketServer;
  readonly #sockets = new Set<Socket>();
  #listeners: (() => void)[] = [];
  #sessions = 0;

  constructor(options: FakeTwitchApiOptions) {
    this.options = options;
    this.#server = createServer((req, res) => this.#http(req, res));
    this.#server.on('connection', (s) => {
      this.#sockets.add(s);
      s.on('close', () => this.#sockets.delete(s));
    });
    this.#wss = new WebSocketServer({ server: this.#server });
    this.#wss.on('connection', (ws, req) => this.#accept(ws, req));
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
  }

  get port(): number {
    return (this.#server.address() as AddressInfo).port;
  }

  get wsBase(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  /** The `urls` section pointing at this fake. */
  urls(): { eventsub: string; helix: string } {
    return { eventsub: `${this.wsBase}/ws`, helix: `http://127.0.0.1:${this.port}/helix` };
  }

  /** Resolves with the `index`-th accepted socket (0 = the first). */
  async connection(index: number): Promise<FakeEventSubConnection> {
    while (this.connections.length <= index) await new Promise<void>((resolve) => this.#listeners.push(resolve));
    return this.connections[index]!;
  }

  /** Helix requests to `path` (without the /helix prefix), in order. */
  calls(method: string, path: string): HelixRequest[] {
    return this.requests.filter((r) => r.method === method && r.path === path);
  }

  async close(): Promise<void> {
    for (const c of this.#wss.clients) c.terminate();
    for (const s of this.#sockets) s.destroy();
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #accept(ws: WebSocket, req: IncomingMessage): void {
    const url = new URL(req.url ?? '/', 'ws://127.0.0.1');
    this.#sessions += 1;
    const sessionId = `AgoQ_session_${this.#sessions}`;
    const conn = new FakeEventSubConnection(ws, req, this, sessionId);
    if (url.pathname === '/reconnect') {
      const from = url.searchParams.get('from') ?? '';
      for (const s of this.subscriptions) if (s.sessionId === from) s.sessionId = sessionId;
    }
    this.connections.push(conn);
    conn.welcome();
    for (const l of this.#listeners.splice(0)) l();
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

  #http(req: IncomingMessage, res: ServerResponse): void {
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
      this.requests.push(record);
      if (this.failWith !== undefined) return this.#error(res, record, this.failWith, 'fake failure');
      const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      const token = bearer === undefined ? undefined : this.options.tokens[bearer];
      if (!token) return this.#error(res, record, 401, 'Invalid OAuth token');
      if (req.headers['client-id'] !== this.options.clientId)
        return this.#error(res, record, 401, 'Client ID and OAuth token do not match');
      const route = `${record.method} ${record.path}`;
      switch (route) {
        case 'GET /users': {
          const logins = url.searchParams.getAll('login');
          const found =
            logins.length > 0
              ? this.options.users.filter((u) => logins.includes(u.login))
              : this.options.users.filter((u) => u.id === token.userId);
          return this.#answer(res, record, 200, {
            data: found.map((u) => ({ id: u.id, login: u.login, display_name: u.displayName, type: '', broadcaster_type: 'affiliate' })),
          });
        }
        case 'GET /streams': {
          const ids = url.searchParams.getAll('user_id');
          const data = ids.flatMap((id) => {
            const s = this.options.streams?.[id];
            const u = this.options.users.find((x) => x.id === id);
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
          return this.#createSubscription(res, record, token);
        default:
          return this.#error(res, record, 404, 'Not Found');
      }
    });
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
    const conn = this.connections.find((c) => c.sessionId === body.transport?.session_id);
    if (body.transport?.method !== 'websocket' || !conn || !conn.open) {
      return this.#error(res, record, 400, 'websocket transport session does not exist or has already disconnected');
    }
    if (known.scope !== '' && !token.scopes.includes(known.scope))
      return this.#error(res, record, 403, 'subscription missing proper authorization');
    const broadcaster = condition.broadcaster_user_id ?? '';
    if (body.type === 'channel.follow') {
      const mods = this.options.moderators?.[broadcaster] ?? [];
      if (condition.moderator_user_id !== token.userId || (token.userId !== broadcaster && !mods.includes(token.userId))) {
        return this.#error(res, record, 403, 'subscription missing proper authorization');
      }
    } else if (known.scope !== '' && broadcaster !== token.userId) {
      return this.#error(res, record, 403, 'subscription missing proper authorization');
    }
    const same = (s: FakeSubscription) =>
      s.type === body.type && s.sessionId === conn.sessionId && JSON.stringify(s.condition) === JSON.stringify(condition);
    if (this.subscriptions.some(same)) return this.#error(res, record, 409, 'subscription already exists');
    const sub: FakeSubscription = {
      id: randomUUID(),
      type: body.type!,
      version: body.version,
      condition,
      sessionId: conn.sessionId,
      createdAt: new Date().toISOString(),
    };
    this.subscriptions.push(sub);
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
      total: this.subscriptions.length,
      total_cost: 0,
      max_total_cost: 10,
    });
  }
}
