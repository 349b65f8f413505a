/**
 * A fake TikTok on 127.0.0.1 speaking the real wire: the live page (SIGI_STATE, or a captcha page
 * without it), `api-live/user/room`, `webcast/room/info`, a sign server (`/webcast/fetch` and
 * `/webcast/rooms/{room_id}/connect`: key check, protobuf fetch result, X-Set-TT-Cookie, scripted
 * 429 {message, limit_label} / 402 / 401 / 403), and the push socket (real `ws`): it checks that the
 * Cookie carries the jar of the fetch that signed the URL and that the User-Agent is the one signed
 * for, answers HTTP 200 + Handshake-Msg instead of 101 on a mismatch, refuses a signed URL used more
 * than 30 s after its fetch, requires `im_enter_room` before it sends anything, and records acks and
 * heartbeats. Every request and connection is recorded for assertions.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { decode, encode, response, u64, type ResponseSpec } from './frames.js';

export interface FakeBroadcast {
  roomId: string;
  /** 2 live, 4 ended. */
  status: number;
  title: string;
}

export interface RecordedRequest {
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  at: number;
}

/** One answer of the sign server, scripted ahead of the normal one. */
export type SignScript =
  | { status: 429; label: string; message?: string; retryAfterS?: number }
  | { status: 401 | 402 | 403 | 500 }
  | { status: 200; noCookie: true };

/** One sign call the fake answered with a fetch result. */
export interface IssuedFetch {
  n: number;
  at: number;
  roomId: string;
  userAgent: string;
  /** The pairs the fake put into X-Set-TT-Cookie. */
  ttwid: string;
  cursorAsked: string;
  sessionHeader: string | undefined;
}

/** What the client sent on one connection, decoded. */
export interface ClientFrame {
  payloadType: string;
  logId: string;
  payload: Buffer;
  at: number;
}

/** One accepted push connection. */
export class FakeConnection {
  readonly url: URL;
  readonly headers: IncomingMessage['headers'];
  readonly fetch: IssuedFetch;
  readonly received: ClientFrame[] = [];
  entered = false;
  closed = false;
  /** The close code the client's close frame carried (undefined after a drop without one). */
  closeCode: number | undefined;
  pings = 0;
  readonly #ws: WebSocket;
  /** What the test sent before the client entered the room: held, as the real server says nothing before. */
  readonly #held: Uint8Array[] = [];

  constructor(ws: WebSocket, req: IncomingMessage, fetch: IssuedFetch, now: () => number, onEnter: (c: FakeConnection) => void) {
    this.#ws = ws;
    this.url = new URL(req.url ?? '/', 'ws://127.0.0.1');
    this.headers = req.headers;
    this.fetch = fetch;
    ws.on('message', (data) => {
      const bytes = Buffer.isBuffer(data) ? data : Buffer.from(data as ArrayBuffer);
      const f = decode('PushFrame', bytes);
      const frame = {
        payloadType: String(f.payloadType),
        logId: String(f.logId),
        payload: Buffer.from(f.payload as Uint8Array),
        at: now(),
      };
      this.received.push(frame);
      if (frame.payloadType === 'im_enter_room' && !this.entered) {
        this.entered = true;
        for (const held of this.#held.splice(0)) ws.send(held);
        onEnter(this);
      }
    });
    ws.on('ping', () => (this.pings += 1));
    ws.on('close', (code) => {
      this.closed = true;
      this.closeCode = code === 1005 || code === 1006 ? undefined : code;
    });
  }

  /** Frames of one payload type the client sent. */
  sent(payloadType: string): ClientFrame[] {
    return this.received.filter((f) => f.payloadType === payloadType);
  }

  /** Sends bytes once the client has entered the room (held until then: the real server says nothing before). */
  send(bytes: Uint8Array): void {
    if (this.entered) this.#ws.send(bytes);
    else this.#held.push(bytes);
  }

  sendText(text: string): void {
    this.#ws.send(text);
  }

  /** Drops the TCP connection without a close frame. */
  terminate(): void {
    this.#ws.terminate();
  }

  close(code = 1000): void {
    this.#ws.close(code);
  }
}

export interface FakeTikTokOptions {
  handle: string;
  broadcast: FakeBroadcast;
  /** The API key the sign server accepts (x-api-key). */
  apiKey: string;
  /** The live page holds the state, or is a captcha page without it. */
  page?: 'state' | 'captcha';
  /** The room API: a normal answer, user_not_found, or a risk-control status code. */
  roomApi?: 'ok' | 'not_found' | 'risk';
  /** Clock for the 30 s signed-URL expiry (the source's manual clock in tests). */
  now?: () => number;
  /** Handshake-Options on the 101 answer. */
  handshakeOptions?: string;
}

const PUSH_PATH = '/webcast/im/ws_proxy/ws_reuse_supplement/';
const SIGNED_URL_LIFETIME_MS = 30_000;

function cookieJar(header: string | undefined): Map<string, string> {
  const jar = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) jar.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return jar;
}

export class FakeTikTok {
  readonly requests: RecordedRequest[] = [];
  readonly connections: FakeConnection[] = [];
  readonly fetches: IssuedFetch[] = [];
  /** Scripted sign answers, used first-in first-out before normal answers resume. */
  readonly signScript: SignScript[] = [];
  /** Handshakes refused, with the Handshake-Msg sent. */
  readonly refused: string[] = [];
  /** Refuse the next N handshakes with this Handshake-Msg (a block the bridge cannot avoid). */
  block: { count: number; message: string } = { count: 0, message: '' };
  /** Room info's own answers by room id (else: the broadcast's status for its room, 4 for others). */
  roomInfoStatus: Record<string, number> = {};
  /** Added to the clock when a handshake arrives: a slow dial that finds its signed URL expired. */
  handshakeDelayMs = 0;
  broadcast: FakeBroadcast;
  /** The fetch result's heartbeat hint and extra route params. */
  fetchResult: Partial<ResponseSpec> = {};
  /** Called once a connection has sent im_enter_room: the test sends frames from here. */
  onEntered?: (conn: FakeConnection) => void;
  readonly options: FakeTikTokOptions;
  readonly #server: Server;
  readonly #wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (protocols) => (protocols.has('echo-protocol') ? 'echo-protocol' : false),
  });
  readonly #sockets = new Set<Socket>();
  readonly #now: () => number;

  private constructor(options: FakeTikTokOptions) {
    this.options = options;
    this.broadcast = { ...options.broadcast };
    this.#now = options.now ?? Date.now;
    this.#server = createServer((req, res) => this.#http(req, res));
    this.#server.on('connection', (s) => {
      this.#sockets.add(s);
      s.on('close', () => this.#sockets.delete(s));
    });
    this.#server.on('upgrade', (req, socket, head) => this.#upgrade(req, socket as Socket, head));
  }

  static async start(options: FakeTikTokOptions): Promise<FakeTikTok> {
    const fake = new FakeTikTok(options);
    await new Promise<void>((resolve) => fake.#server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  get pushServer(): string {
    return `ws://127.0.0.1:${(this.#server.address() as AddressInfo).port}${PUSH_PATH}`;
  }

  /** The `urls:` config section pointing at this fake. */
  urls(): Record<string, string> {
    return { page: `${this.baseUrl}/`, room_api: `${this.baseUrl}/api-live/user/room/`, room_info: `${this.baseUrl}/webcast/room/info/` };
  }

  /** The `signer:` config section pointing at this fake. */
  signer(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return { provider: 'euler', url: this.baseUrl, api_key: this.options.apiKey, ...overrides };
  }

  requestsTo(path: string): RecordedRequest[] {
    return this.requests.filter((r) => r.path === path);
  }

  /** Sign calls that reached the sign server (answered or refused). */
  get signCalls(): RecordedRequest[] {
    return this.requests.filter((r) => r.path === '/webcast/fetch' || /^\/webcast\/rooms\/\d+\/connect$/.test(r.path));
  }

  #http(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', this.baseUrl);
    this.requests.push({ path: url.pathname, query: url.searchParams, headers: req.headers, at: this.#now() });
    const b = this.broadcast;
    const json = (body: unknown, status = 200) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (url.pathname === `/@${this.options.handle}/live`) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'set-cookie': 'tt_csrf_token=fake-csrf; Path=/; HttpOnly' });
      res.end(this.options.page === 'captcha' ? captchaHtml() : livePageHtml(this.options.handle, b));
    } else if (url.pathname.startsWith('/@') && url.pathname.endsWith('/live')) {
      res.writeHead(200, { 'content-type': 'text/html' }).end(livePageHtml(url.pathname.slice(2, -5), undefined));
    } else if (url.pathname === '/api-live/user/room/') {
      const mode = this.options.roomApi ?? 'ok';
      if (url.searchParams.get('uniqueId') !== this.options.handle || mode === 'not_found')
        json({ statusCode: 19881007, message: 'user_not_found', data: {} });
      else if (mode === 'risk') json({ statusCode: 4003110, data: { prompts: '' } });
      else
        json({
          statusCode: 0,
          data: { user: { roomId: b.roomId, uniqueId: this.options.handle }, liveRoom: { status: b.status, title: b.title } },
        });
    } else if (url.pathname === '/webcast/room/info/') {
      const id = url.searchParams.get('room_id');
      const status = id !== null && Object.hasOwn(this.roomInfoStatus, id) ? this.roomInfoStatus[id] : id === b.roomId ? b.status : 4;
      json({ status_code: 0, data: { id_str: id, status, title: b.title } });
    } else if (url.pathname === '/webcast/fetch' || /^\/webcast\/rooms\/\d+\/connect$/.test(url.pathname)) {
      this.#sign(url, req, res);
    } else {
      res.writeHead(404).end();
    }
  }

  #sign(url: URL, req: IncomingMessage, res: ServerResponse): void {
    const fromPath = /^\/webcast\/rooms\/(\d+)\/connect$/.exec(url.pathname)?.[1];
    const roomId = fromPath ?? url.searchParams.get('room_id') ?? '';
    if (req.headers['x-api-key'] !== this.options.apiKey) {
      res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'Invalid API key' }));
      return;
    }
    const scripted = this.signScript.shift();
    if (scripted && scripted.status === 429) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (scripted.retryAfterS !== undefined) headers['retry-after'] = String(scripted.retryAfterS);
      res.writeHead(429, headers).end(JSON.stringify({ message: scripted.message ?? 'Too many requests', limit_label: scripted.label }));
      return;
    }
    if (scripted && scripted.status !== 200) {
      res
        .writeHead(scripted.status, { 'content-type': 'application/json' })
        .end(JSON.stringify({ message: `scripted ${scripted.status}` }));
      return;
    }
    const n = this.fetches.length + 1;
    const fetch: IssuedFetch = {
      n,
      at: this.#now(),
      roomId,
      userAgent: url.searchParams.get('user_agent') ?? '',
      ttwid: `1%7Cfetch-${n}-ttwid%7C1764000000`,
      cursorAsked: url.searchParams.get('cursor') ?? '',
      sessionHeader: req.headers['x-cookie-header'] as string | undefined,
    };
    this.fetches.push(fetch);
    const body = response({
      messages: [],
      cursor: `fetch-cursor-${n}`,
      internalExt: `fetch_id:${n}|internal_src:dim|wss_push_room_id:${roomId}`,
      pushServer: this.pushServer,
      routeParams: { wrss: `wrss-${n}`, imprp: '' },
      needAck: true,
      isFirst: true,
      ...this.fetchResult,
    });
    const headers: Record<string, string> = { 'content-type': 'application/x-protobuf', 'x-room-id': roomId };
    if (!(scripted && 'noCookie' in scripted)) headers['x-set-tt-cookie'] = `ttwid=${fetch.ttwid}; tt_chain_token=chain-${n}; Path=/`;
    res.writeHead(200, headers).end(body);
  }

  #refuse(socket: Socket, message: string): void {
    this.refused.push(message);
    socket.end(`HTTP/1.1 200 OK\r\nHandshake-Msg: ${message}\r\nHandshake-Status: 4001\r\ncontent-length: 0\r\nconnection: close\r\n\r\n`);
  }

  #upgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
    const url = new URL(req.url ?? '/', this.baseUrl);
    this.requests.push({ path: url.pathname, query: url.searchParams, headers: req.headers, at: this.#now() });
    if (url.pathname !== PUSH_PATH) {
      socket.end('HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    const fetchId = /fetch_id:(\d+)/.exec(url.searchParams.get('internal_ext') ?? '')?.[1];
    const fetch = this.fetches.find((f) => String(f.n) === fetchId);
    const jar = cookieJar(req.headers.cookie);
    if (!fetch) return this.#refuse(socket, 'invalid internal_ext');
    if (jar.get('ttwid') !== fetch.ttwid || jar.get('tt_chain_token') !== `chain-${fetch.n}`)
      return this.#refuse(socket, 'cookie does not match the fetch');
    if (req.headers['user-agent'] !== fetch.userAgent) return this.#refuse(socket, 'user agent does not match the signature');
    if (url.searchParams.get('room_id') !== fetch.roomId) return this.#refuse(socket, 'room id does not match the fetch');
    if (fetch.sessionHeader && !jar.has('sessionid')) return this.#refuse(socket, 'illegal secret key');
    if (this.#now() + this.handshakeDelayMs - fetch.at > SIGNED_URL_LIFETIME_MS) return this.#refuse(socket, 'signature expired');
    if (this.block.count > 0) {
      this.block.count -= 1;
      return this.#refuse(socket, this.block.message);
    }
    const options = this.options.handshakeOptions;
    const onHeaders = (headers: string[]) => {
      if (options) headers.push(`Handshake-Options: ${options}`);
    };
    this.#wss.once('headers', onHeaders);
    this.#wss.handleUpgrade(req, socket, head, (ws) => {
      const conn = new FakeConnection(ws, req, fetch, this.#now, (c) => this.onEntered?.(c));
      this.connections.push(conn);
    });
  }

  async close(): Promise<void> {
    for (const client of this.#wss.clients) client.terminate();
    for (const s of this.#sockets) s.destroy();
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

/** The live page with its SIGI_STATE (room id as a string, as TikTok sends it). */
export function livePageHtml(handle: string, b: FakeBroadcast | undefined): string {
  const state = {
    AppContext: { appContext: { language: 'en' } },
    LiveRoom: {
      liveRoomUserInfo: {
        user: { uniqueId: handle, nickname: 'Host', roomId: b?.roomId ?? '', secUid: 'MS4wLjABAAAAhost' },
        liveRoom: b ? { status: b.status, title: b.title, startTime: 1764000000 } : undefined,
      },
    },
  };
  const json = JSON.stringify(state).replace(/</g, '\\u003c');
  return `<!DOCTYPE html><html><head><title>${handle} LIVE</title></head><body><div id="app"></div><script id="SIGI_STATE" type="application/json">${json}</script><script>window.x=1</script></body></html>`;
}

function captchaHtml(): string {
  return '<!DOCTYPE html><html><head><title>Security Check</title></head><body><div id="captcha-verify-container"></div><script src="/captcha.js"></script></body></html>';
}

/** A ControlMessage frame (action 3: the broadcast ended). */
export function controlFrame(action: number, roomId: string, msgId: string): Uint8Array {
  return encode('PushFrame', {
    logId: u64('7300000000000000999'),
    headers: [{ key: 'compress_type', value: 'none' }],
    payloadEncoding: 'pb',
    payloadType: 'msg',
    payload: response({
      messages: [
        {
          type: 'ControlMessage',
          msgId,
          fields: { common: { method: 'WebcastControlMessage', msgId: u64(msgId), roomId: u64(roomId) }, action, tips: 'LIVE has ended' },
        },
      ],
    }),
  });
}
