/**
 * A fake Twitch API on 127.0.0.1: Helix over HTTP (/helix/users, /helix/streams,
 * POST /helix/eventsub/subscriptions), the OAuth server's /oauth2/validate and the EventSub
 * WebSocket on the same port, speaking the
 * real contract. Helix checks the bearer token and the Client-Id on every call (401), the scope
 * and role a subscription needs (403), its version, duplicates (409) and that the session is
 * connected (400), and answers 202 with the subscription. The socket sends session_welcome at
 * once and closes with 4003 when no subscription arrives within the deadline; a test drives
 * keepalives, notifications, revocations and session_reconnect (to a second URL on which the
 * subscriptions carry over). Everything is recorded.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { FakeHelix, type HelixRequest } from './fake-helix.js';

export type { HelixRequest } from './fake-helix.js';

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
  /** The application the token was issued to (default: the API's clientId). */
  clientId?: string;
  /** Seconds left, as /oauth2/validate says (default 14400; 0 = never expires). */
  expiresIn?: number;
  /** An app access token: /oauth2/validate names no user, and Helix user calls find none. */
  app?: boolean;
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
  /** Whether a socket gets its welcome as soon as it connects (default); false: the test calls welcome(). */
  autoWelcome?: (path: string) => boolean;
}

/** A created subscription. */
export interface FakeSubscription {
  id: string;
  type: string;
  version: string;
  condition: Record<string, string>;
  sessionId: string;
  createdAt: string;
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
  /** For a socket opened at a session_reconnect URL: the session it continues. */
  movedFrom: string | undefined;
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
    // A reconnect socket takes its predecessor's subscriptions with its welcome.
    if (this.movedFrom !== undefined)
      for (const s of this.#api.subscriptions) if (s.sessionId === this.movedFrom) s.sessionId = this.sessionId;
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
  /** The next this-many subscription creations answer only after `subscribeDelayMs` (real time). */
  slowSubscribes = 0;
  subscribeDelayMs = 0;
  readonly #server: Server;
  readonly #wss: WebSocketServer;
  readonly #sockets = new Set<Socket>();
  #listeners: (() => void)[] = [];
  #sessions = 0;

  constructor(options: FakeTwitchApiOptions) {
    this.options = options;
    const helix = new FakeHelix(this);
    this.#server = createServer((req, res) => helix.handle(req, res));
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
  urls(): { eventsub: string; helix: string; oauth: string } {
    return { eventsub: `${this.wsBase}/ws`, helix: `http://127.0.0.1:${this.port}/helix`, oauth: `http://127.0.0.1:${this.port}/oauth2` };
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
    if (url.pathname === '/reconnect') conn.movedFrom = url.searchParams.get('from') ?? '';
    this.connections.push(conn);
    if (this.options.autoWelcome?.(conn.path) ?? true) conn.welcome();
    for (const l of this.#listeners.splice(0)) l();
  }
}
