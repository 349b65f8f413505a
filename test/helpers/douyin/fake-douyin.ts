/**
 * A fake Douyin on 127.0.0.1 speaking the real protocol: live page with an escaped RSC state
 * (optionally behind the __ac_nonce first answer), ttwid, web/enter, im/fetch (protobuf), the
 * gift list, and a push WebSocket server (real `ws`, real gzip'd PushFrames, real handshake
 * refusals). Every request and every connection is recorded for assertions.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { response } from './frames.js';

export interface FakeBroadcast {
  roomId: string;
  /** 2 live, 4 ended. */
  status: number;
  title: string;
  anchorName: string;
  userUniqueId: string;
}

export interface RecordedRequest {
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
}

/** One accepted push connection. */
export class FakeConnection {
  readonly url: URL;
  readonly headers: IncomingMessage['headers'];
  readonly received: Buffer[] = [];
  pongs = 0;
  closed = false;
  /** The close code and reason the client sent (1006 when the connection just dropped). */
  closeCode: number | undefined;
  closeReason = '';
  readonly #ws: WebSocket;

  constructor(ws: WebSocket, req: IncomingMessage) {
    this.#ws = ws;
    this.url = new URL(req.url ?? '/', 'ws://127.0.0.1');
    this.headers = req.headers;
    ws.on('message', (data) => this.received.push(Buffer.isBuffer(data) ? data : Buffer.from(data as ArrayBuffer)));
    ws.on('pong', () => (this.pongs += 1));
    ws.on('close', (code, reason) => {
      this.closed = true;
      this.closeCode = code;
      this.closeReason = reason.toString('utf8');
    });
  }

  send(bytes: Uint8Array): void {
    this.#ws.send(bytes);
  }

  sendText(text: string): void {
    this.#ws.send(text);
  }

  ping(): void {
    this.#ws.ping();
  }

  /** Drops the TCP connection without a close frame. */
  terminate(): void {
    this.#ws.terminate();
  }

  close(code = 1000): void {
    this.#ws.close(code);
  }
}

export interface FakeDouyinOptions {
  webRid: string;
  broadcast: FakeBroadcast;
  /** The first live-page request without __ac_nonce gets only the cookie and a challenge. */
  acNonceFirst?: boolean;
  /** web/enter behaviour: a normal answer, a risk-control status_code, or an empty body. */
  enter?: 'ok' | 'risk' | 'empty';
  /** The live page holds the state, or is a captcha page without it. */
  page?: 'state' | 'captcha';
  gifts?: { id: number; name: string; diamond_count: number; combo: boolean }[];
}

const MARKUP_HEAD =
  '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>抖音直播</title></head><body><div id="root"></div>';

/** The live page: state in a Next.js RSC push, JSON inside a JS string (escaped), decoys around it. */
export function livePageHtml(webRid: string, b: FakeBroadcast): string {
  const state = {
    state: {
      roomStore: {
        roomInfo: {
          roomId: b.roomId,
          web_rid: webRid,
          room: {
            id_str: b.roomId,
            status: b.status,
            title: b.title,
            user_count_str: '1.2万',
            owner: { id_str: '93000000001', nickname: b.anchorName },
          },
          anchor: {
            id_str: '93000000001',
            nickname: b.anchorName,
            avatar_thumb: { url_list: ['https://p3.douyinpic.com/a.jpeg?x=1&y=2'] },
          },
        },
      },
      userStore: { odin: { user_id: '0', user_is_auth: 0, user_type: 12, user_unique_id: b.userUniqueId } },
    },
  };
  const line = `c:["$","$L12",null,${JSON.stringify(state)}]\n`;
  const push = (s: string) =>
    `<script>self.__pace_f.push([1,${JSON.stringify(s).replace(/&/g, '\\u0026').replace(/</g, '\\u003c')}])</script>`;
  return `${MARKUP_HEAD}<script>self.__pace_f.push([0])</script>${push('1:HL["/static/css/app.css","style"]\n')}${push(line)}${push('d:{"room_id":"123","tracker":"x"}\n')}</body></html>`;
}

function captchaHtml(): string {
  return `${MARKUP_HEAD}<script>window.byted_acrawler && byted_acrawler.init({aid:6383});</script><p>请完成验证</p></body></html>`;
}

function cookies(req: IncomingMessage): Map<string, string> {
  const jar = new Map<string, string>();
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) jar.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return jar;
}

export class FakeDouyin {
  readonly requests: RecordedRequest[] = [];
  readonly connections: FakeConnection[] = [];
  /** Answer the next N push handshakes with HTTP 200 + handshake-msg DEVICE_BLOCKED. */
  blockHandshakes = 0;
  refusedHandshakes = 0;
  broadcast: FakeBroadcast;
  imFetch = { cursor: 'fetch-cursor-1', internalExt: 'internal_src:dim|wss_push_room_id:0|seq:1', heartbeatDuration: 0 };
  onConnection?: (conn: FakeConnection) => void;
  readonly options: FakeDouyinOptions;
  readonly #server: Server;
  readonly #wss = new WebSocketServer({ noServer: true });
  readonly #sockets = new Set<Socket>();

  private constructor(options: FakeDouyinOptions) {
    this.options = options;
    this.broadcast = { ...options.broadcast };
    this.#server = createServer((req, res) => this.#http(req, res));
    this.#server.on('connection', (s) => {
      this.#sockets.add(s);
      s.on('close', () => this.#sockets.delete(s));
    });
    this.#server.on('upgrade', (req, socket, head) => this.#upgrade(req, socket as Socket, head));
  }

  static async start(options: FakeDouyinOptions): Promise<FakeDouyin> {
    const fake = new FakeDouyin(options);
    await new Promise<void>((resolve) => fake.#server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get port(): number {
    return (this.#server.address() as AddressInfo).port;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}/`;
  }

  get wsUrl(): string {
    return `ws://127.0.0.1:${this.port}/webcast/im/push/v2/`;
  }

  /** The `urls:` config section pointing at this fake. */
  urls(): Record<string, string | boolean> {
    return {
      live_page: this.baseUrl,
      web_enter: `${this.baseUrl}webcast/room/web/enter/`,
      im_fetch: `${this.baseUrl}webcast/im/fetch/`,
      gift_list: `${this.baseUrl}webcast/gift/list/`,
      websocket: this.wsUrl,
    };
  }

  requestsTo(path: string): RecordedRequest[] {
    return this.requests.filter((r) => r.path === path);
  }

  #http(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', this.baseUrl);
    this.requests.push({ path: url.pathname, query: url.searchParams, headers: req.headers });
    const jar = cookies(req);
    if (url.pathname === '/') {
      res.writeHead(200, {
        'content-type': 'text/html',
        'set-cookie': ['ttwid=1%7Cfake-ttwid-value%7C1764000000; Path=/; HttpOnly', '__live_version=1.1.2; Path=/'],
      });
      res.end(`${MARKUP_HEAD}</body></html>`);
    } else if (url.pathname === `/${this.options.webRid}`) {
      if (this.options.acNonceFirst && !jar.has('__ac_nonce')) {
        res.writeHead(200, { 'content-type': 'text/html', 'set-cookie': '__ac_nonce=0674a1b2c00d3e4f5a6b7; Path=/' });
        res.end(`<html><head><script>window.__ac_nonce='x';</script></head><body></body></html>`);
      } else {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(this.options.page === 'captcha' ? captchaHtml() : livePageHtml(this.options.webRid, this.broadcast));
      }
    } else if (url.pathname === '/webcast/room/web/enter/') {
      this.#enter(res);
    } else if (url.pathname === '/webcast/im/fetch/') {
      res.writeHead(200, { 'content-type': 'application/protobuf' });
      res.end(
        response({
          messages: [],
          cursor: this.imFetch.cursor,
          internalExt: this.imFetch.internalExt,
          pushServer: this.wsUrl,
          heartbeatDuration: this.imFetch.heartbeatDuration,
          fetchInterval: 1000,
        }),
      );
    } else if (url.pathname === '/webcast/gift/list/') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status_code: 0, data: { gifts: this.options.gifts ?? [] } }));
    } else {
      res.writeHead(404).end();
    }
  }

  #enter(res: ServerResponse): void {
    const mode = this.options.enter ?? 'ok';
    if (mode === 'empty') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('');
      return;
    }
    if (mode === 'risk') {
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ status_code: 10037, data: { prompts: '请求过于频繁' } }));
      return;
    }
    const b = this.broadcast;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      `{"status_code":0,"data":{"data":[{"id_str":"${b.roomId}","status":${b.status},"title":${JSON.stringify(b.title)},"user_count_str":"1.2万"}],"room_status":${b.status === 2 ? 0 : 2},"user":{"id_str":"93000000001","nickname":${JSON.stringify(b.anchorName)}}}}`,
    );
  }

  #upgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
    const url = new URL(req.url ?? '/', this.baseUrl);
    this.requests.push({ path: url.pathname, query: url.searchParams, headers: req.headers });
    if (this.blockHandshakes > 0) {
      this.blockHandshakes -= 1;
      this.refusedHandshakes += 1;
      socket.end(
        'HTTP/1.1 200 OK\r\nhandshake-status: 415\r\nhandshake-msg: DEVICE_BLOCKED\r\ncontent-length: 0\r\nconnection: close\r\n\r\n',
      );
      return;
    }
    this.#wss.handleUpgrade(req, socket, head, (ws) => {
      const conn = new FakeConnection(ws, req);
      this.connections.push(conn);
      this.onConnection?.(conn);
    });
  }

  async close(): Promise<void> {
    for (const client of this.#wss.clients) client.terminate();
    for (const s of this.#sockets) s.destroy();
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
