/**
 * A fake Bilibili on 127.0.0.1 speaking the real protocol: nav (login state and WBI keys), spi
 * (buvid3/4), get_info and room_init, a WBI-checking getDanmuInfo (-352 on a wrong signature or
 * missing buvid cookies), and the danmaku socket (real `ws`, real 16-byte headers) that checks
 * AUTH against the issued token and the HTTP User-Agent. Everything is recorded for assertions.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { authReply, heartbeatReply } from './frames.js';

export interface FakeRoom {
  shortId: string;
  roomId: string;
  uid: string;
  liveStatus: number;
  title: string;
}

export interface RecordedRequest {
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
}

/** A packet the client sent: header fields and body text. */
export interface ClientPacket {
  op: number;
  ver: number;
  headerLen: number;
  body: string;
}

/** One accepted socket. */
export class FakeConnection {
  readonly url: URL;
  readonly headers: IncomingMessage['headers'];
  readonly packets: ClientPacket[] = [];
  closed = false;
  /** The close code the client sent (1006 when the connection just dropped). */
  closeCode: number | undefined;
  readonly #ws: WebSocket;

  constructor(ws: WebSocket, req: IncomingMessage, onPacket: (c: FakeConnection, p: ClientPacket) => void) {
    this.#ws = ws;
    this.url = new URL(req.url ?? '/', 'ws://127.0.0.1');
    this.headers = req.headers;
    ws.on('message', (data) => {
      const buf = Buffer.isBuffer(data) ? data : Buffer.from(data as ArrayBuffer);
      for (let off = 0; off + 16 <= buf.length;) {
        const len = buf.readUInt32BE(off);
        const p = {
          op: buf.readUInt32BE(off + 8),
          ver: buf.readUInt16BE(off + 6),
          headerLen: buf.readUInt16BE(off + 4),
          body: buf.subarray(off + 16, off + len).toString('utf8'),
        };
        this.packets.push(p);
        onPacket(this, p);
        if (len < 16) break;
        off += len;
      }
    });
    ws.on('close', (code) => {
      this.closed = true;
      this.closeCode = code;
    });
  }

  send(bytes: Uint8Array): void {
    this.#ws.send(bytes);
  }

  sendText(text: string): void {
    this.#ws.send(text);
  }

  terminate(): void {
    this.#ws.terminate();
  }

  /** The AUTH packets' bodies. */
  auths(): string[] {
    return this.packets.filter((p) => p.op === 7).map((p) => p.body);
  }

  heartbeats(): number {
    return this.packets.filter((p) => p.op === 2).length;
  }
}

export interface FakeBilibiliOptions {
  room: FakeRoom;
  /** The SESSDATA value nav accepts, and the uid it belongs to. */
  login?: { sessdata: string; mid: string };
  /** get_info answers an error, so the client must fall back to room_init. */
  getInfoBroken?: boolean;
  /** Auth reply codes for successive connections (the last repeats). */
  authCodes?: number[];
  /** Host list getDanmuInfo returns. */
  hosts?: { host: string; wss_port: number }[];
}

export const WBI_IMG = 'https://i0.hdslb.com/bfs/wbi/7cd084941338484aae1ad9425b84077c.png';
export const WBI_SUB = 'https://i0.hdslb.com/bfs/wbi/4932caff0ff746eab6f01bf08b70ac45.png';
/** The mixin key of WBI_IMG + WBI_SUB, worked out by hand from the permutation table. */
export const WBI_KEY = 'ea1db124af3c7062474693fa704f4ff8';

/** The platform's check, written independently of the adapter's signer. */
function wbiValid(query: URLSearchParams): boolean {
  const pairs = [...query].filter(([k]) => k !== 'w_rid').sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const text = pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
  return (
    query.has('wts') &&
    createHash('md5')
      .update(text + WBI_KEY)
      .digest('hex') === query.get('w_rid')
  );
}

function cookies(req: IncomingMessage): Map<string, string> {
  const jar = new Map<string, string>();
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) jar.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return jar;
}

/** The HTTP server and the danmaku socket (/sub) under both fakes; connections are recorded in order. */
export class FakeDanmakuServer {
  readonly connections: FakeConnection[] = [];
  readonly #server: Server;
  readonly #wss: WebSocketServer;
  readonly #sockets = new Set<Socket>();
  #listeners: ((c: FakeConnection) => void)[] = [];

  constructor(http: (req: IncomingMessage, res: ServerResponse) => void, onPacket: (c: FakeConnection, p: ClientPacket) => void) {
    this.#server = createServer(http);
    this.#server.on('connection', (s) => {
      this.#sockets.add(s);
      s.on('close', () => this.#sockets.delete(s));
    });
    this.#wss = new WebSocketServer({ server: this.#server, path: '/sub' });
    this.#wss.on('connection', (ws, req) => {
      const conn = new FakeConnection(ws, req, onPacket);
      this.connections.push(conn);
      for (const l of this.#listeners) l(conn);
    });
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
  }

  get port(): number {
    return (this.#server.address() as AddressInfo).port;
  }

  /** Resolves with the next accepted connection. */
  nextConnection(): Promise<FakeConnection> {
    return new Promise((resolve) => {
      const l = (c: FakeConnection) => {
        this.#listeners = this.#listeners.filter((x) => x !== l);
        resolve(c);
      };
      this.#listeners.push(l);
    });
  }

  async close(): Promise<void> {
    for (const c of this.#wss.clients) c.terminate();
    for (const s of this.#sockets) s.destroy();
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

export class FakeBilibili {
  readonly options: FakeBilibiliOptions;
  readonly requests: RecordedRequest[] = [];
  /** Tokens issued by getDanmuInfo, in order, with the User-Agent they are bound to. */
  readonly tokens: { token: string; userAgent: string }[] = [];
  /** When set, the socket answers nothing at all (not even the auth reply). */
  silent = false;
  /** When set, the next getDanmuInfo answers -352 whatever the signature. */
  rejectNextDanmuInfo = false;
  readonly #net: FakeDanmakuServer;

  constructor(options: FakeBilibiliOptions) {
    this.options = options;
    this.#net = new FakeDanmakuServer(
      (req, res) => this.#http(req, res),
      (c, p) => this.#onPacket(c, p),
    );
  }

  get connections(): FakeConnection[] {
    return this.#net.connections;
  }

  async listen(): Promise<void> {
    await this.#net.listen();
  }

  get port(): number {
    return this.#net.port;
  }

  get base(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The `urls` config section pointing at this fake. */
  urls(withSocket = true): Record<string, string> {
    return {
      nav: `${this.base}/x/web-interface/nav`,
      spi: `${this.base}/x/frontend/finger/spi`,
      room_info: `${this.base}/room/v1/Room/get_info`,
      room_init: `${this.base}/room/v1/Room/room_init`,
      danmu_info: `${this.base}/xlive/web-room/v1/index/getDanmuInfo`,
      ...(withSocket ? { websocket: `ws://127.0.0.1:${this.port}/sub` } : {}),
    };
  }

  /** Resolves with the next accepted connection. */
  nextConnection(): Promise<FakeConnection> {
    return this.#net.nextConnection();
  }

  paths(): string[] {
    return this.requests.map((r) => r.path);
  }

  async close(): Promise<void> {
    await this.#net.close();
  }

  #onPacket(conn: FakeConnection, p: ClientPacket): void {
    if (this.silent) return;
    if (p.op === 2) return conn.send(heartbeatReply(this.connections.length));
    if (p.op !== 7) return;
    const index = this.connections.indexOf(conn);
    const codes = this.options.authCodes ?? [0];
    let code = codes[Math.min(index, codes.length - 1)] ?? 0;
    const auth = JSON.parse(p.body) as { key?: string };
    const issued = this.tokens.find((t) => t.token === auth.key);
    if (code === 0 && (!issued || issued.userAgent !== conn.headers['user-agent'])) code = -101;
    conn.send(authReply(code));
  }

  #json(res: ServerResponse, body: unknown, headers: Record<string, string | string[]> = {}): void {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  }

  #http(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', this.base);
    this.requests.push({ path: url.pathname, query: url.searchParams, headers: req.headers });
    const jar = cookies(req);
    const room = this.options.room;
    const wbi = { img_url: WBI_IMG, sub_url: WBI_SUB };
    switch (url.pathname) {
      case '/x/web-interface/nav': {
        const login = this.options.login;
        if (login && jar.get('SESSDATA') === login.sessdata) {
          // mid written as a bare JSON number, as the platform does.
          return this.#json(
            res,
            `{"code":0,"message":"0","data":{"isLogin":true,"mid":${login.mid},"uname":"运营号","wbi_img":${JSON.stringify(wbi)}}}`,
          );
        }
        return this.#json(res, { code: -101, message: '账号未登录', data: { isLogin: false, wbi_img: wbi } });
      }
      case '/x/frontend/finger/spi':
        return this.#json(res, { code: 0, message: 'ok', data: { b_3: 'B3-FAKE-BUVID3infoc', b_4: 'B4-FAKE-BUVID4' } });
      case '/room/v1/Room/get_info':
      case '/room/v1/Room/room_init': {
        const asked = url.searchParams.get(url.pathname.endsWith('get_info') ? 'room_id' : 'id');
        if (url.pathname.endsWith('get_info') && this.options.getInfoBroken)
          return this.#json(res, { code: -400, message: 'bad request', data: {} });
        if (asked !== room.shortId && asked !== room.roomId) return this.#json(res, { code: 60004, message: '直播间不存在', data: {} });
        return this.#json(
          res,
          `{"code":0,"msg":"ok","message":"ok","data":{"room_id":${room.roomId},"short_id":${room.shortId},"uid":${room.uid},"live_status":${room.liveStatus},"title":${JSON.stringify(room.title)}}}`,
        );
      }
      case '/xlive/web-room/v1/index/getDanmuInfo': {
        const reject = this.rejectNextDanmuInfo;
        this.rejectNextDanmuInfo = false;
        if (reject || !wbiValid(url.searchParams) || !jar.get('buvid3') || !jar.get('buvid4'))
          return this.#json(res, { code: -352, message: '-352', data: { v_voucher: 'voucher_fake' } });
        if (url.searchParams.get('id') !== room.roomId) return this.#json(res, { code: 1, message: 'wrong room', data: {} });
        const token = `token-${this.tokens.length + 1}-${'x'.repeat(40)}`;
        this.tokens.push({ token, userAgent: String(req.headers['user-agent']) });
        const hosts = this.options.hosts ?? [{ host: 'broadcastlv.chat.bilibili.com', wss_port: 443 }];
        return this.#json(res, {
          code: 0,
          message: '0',
          data: {
            group: 'live',
            business_id: 0,
            refresh_row_factor: 0.125,
            refresh_rate: 100,
            max_delay: 5000,
            token,
            host_list: hosts.map((h) => ({ ...h, port: 2243, ws_port: 2244 })),
          },
        });
      }
      default:
        res.writeHead(404).end();
    }
  }
}
