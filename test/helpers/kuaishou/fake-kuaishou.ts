/**
 * A fake Kuaishou on 127.0.0.1 speaking the real protocol: the room page (its `playList` state
 * as JavaScript with literal `undefined`, the anchor first and a live recommended room after it,
 * refusals in `errorType`), websocketinfo and livedetail with their result codes (1, 2, 400002,
 * 671, 677), allgifts and the room's gift-list, and the socket (real `ws`, real SocketMessages)
 * that answers only a CS_ENTER_ROOM with a token it issued for the current broadcast, answers
 * heartbeats, and lets the test push feeds, errors and pauses. Every request is recorded with
 * the time of the injected clock, so pacing is asserted on a manual clock.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { enterRoomAck, heartbeatAck, readClientFrame, scError, type ClientFrame } from './frames.js';

/** What the fake's API calls answer, in turn; the last entry repeats. */
export type ResultScript = number[];

export interface FakeKuaishouOptions {
  principalId: string;
  /** The cookie pairs a logged-in request must carry (userId, kuaishou.live.web_st, kwfv1 …). */
  login: Record<string, string>;
  /** The current broadcast, or null while the streamer is offline. */
  live: { liveStreamId: string; title: string } | null;
  /** The time recorded with each request (a test's manual clock); Date.now by default. */
  now?: () => number;
  /** The interval SC_ENTER_ROOM_ACK asks for. */
  heartbeatIntervalMs?: number;
  /** Results of websocketinfo calls, in turn (default [1]). */
  websocketInfo?: ResultScript;
  /** Results of livedetail calls, in turn (default [1]: live or 671 as `live` says). */
  liveDetail?: ResultScript;
  /** The key livedetail lists socket URLs under. */
  detailUrlsKey?: 'webSocketAddresses' | 'websocketUrls';
  /** The room page's anchor entry refuses with this errorType title. */
  pageRefusal?: { title: string; content: string };
  /** allgifts: gift id → name. */
  giftNames?: Record<string, string>;
  /** The room's gift-list: gift id → unitPrice. */
  giftPrices?: Record<string, number>;
}

export interface RecordedRequest {
  at: number;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
}

const REFUSALS: Record<number, Record<string, unknown>> = {
  2: { result: 2, error_msg: '请求过快，请稍后重试' },
  400002: { result: 400002, error_msg: '需要进行验证', url: 'https://captcha.zt.kuaishou.com/iframe/index.html?captchaSession=fake' },
};

/** One accepted socket. */
export class FakeSocket {
  readonly url: URL;
  readonly headers: IncomingMessage['headers'];
  readonly frames: ClientFrame[] = [];
  closed = false;
  readonly #ws: WebSocket;

  constructor(ws: WebSocket, req: IncomingMessage, onFrame: (s: FakeSocket, f: ClientFrame) => void) {
    this.#ws = ws;
    this.url = new URL(req.url ?? '/', 'ws://127.0.0.1');
    this.headers = req.headers;
    ws.on('message', (data: Buffer) => {
      let frame: ClientFrame;
      try {
        frame = readClientFrame(data);
      } catch {
        frame = { type: 'other', payloadType: -1 };
      }
      this.frames.push(frame);
      onFrame(this, frame);
    });
    ws.on('close', () => (this.closed = true));
  }

  /** Sends raw bytes (a frame from frames.ts, or garbage). */
  send(bytes: Uint8Array): void {
    this.#ws.send(bytes);
  }

  /** Closes as the server would (code 1000 by default). */
  close(code = 1000, reason = ''): void {
    this.#ws.close(code, reason);
  }

  /** Drops the TCP connection without a close frame. */
  terminate(): void {
    this.#ws.terminate();
  }

  enterRooms(): Extract<ClientFrame, { type: 'enter_room' }>[] {
    return this.frames.filter((f): f is Extract<ClientFrame, { type: 'enter_room' }> => f.type === 'enter_room');
  }

  heartbeats(): number {
    return this.frames.filter((f) => f.type === 'heartbeat').length;
  }
}

function cookies(req: IncomingMessage): Map<string, string> {
  const jar = new Map<string, string>();
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) jar.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return jar;
}

/** The room page as the web client receives it: state as JavaScript, not JSON. */
export function roomPageHtml(options: Pick<FakeKuaishouOptions, 'principalId' | 'pageRefusal'>, live: FakeKuaishouOptions['live']): string {
  const anchor = live
    ? `{"liveStream":{"id":${JSON.stringify(live.liveStreamId)},"caption":${JSON.stringify(live.title)},"poster":undefined,` +
      `"playUrls":[{"adaptationSet":{"representation":[{"url":"https://fake.flv/1"}]}}]},"isLiving":true,` +
      `"author":{"id":"9988776655","name":"主播","description":"a } in text and an undefined in a string","avatar":undefined},` +
      `"errorType":undefined,"config":{"canShare":true,"extra":undefined}}`
    : `{"liveStream":{},"isLiving":false,"author":{"id":${JSON.stringify(options.principalId)},"name":"主播"},"errorType":undefined}`;
  const refused = options.pageRefusal
    ? `{"liveStream":undefined,"author":{"id":${JSON.stringify(options.principalId)}},"errorType":{"title":${JSON.stringify(options.pageRefusal.title)},"content":${JSON.stringify(options.pageRefusal.content)}}}`
    : undefined;
  // A recommended room that is live while the anchor may not be: the bridge must not follow it.
  const recommended = `{"liveStream":{"id":"recommended-stream","caption":"别人的直播"},"isLiving":true,"author":{"id":"someone-else","name":"路人"},"errorType":undefined}`;
  const state =
    `{"liveroom":{"activeIndex":0,"playList":[${refused ?? anchor},${recommended}],"loading":false,"noticeList":undefined},` +
    `"visitor":{"userId":undefined}}`;
  return [
    '<!DOCTYPE html><html><head><meta charset="utf-8"><title>快手直播</title></head><body><div id="app"></div>',
    `<script>window.__INITIAL_STATE__=${state};(function(){var s;(s=document.currentScript||document.scripts[document.scripts.length-1]).parentNode.removeChild(s);}());</script>`,
    '</body></html>',
  ].join('');
}

/** The fake platform: HTTP API, room page and socket on one port. */
export class FakeKuaishou {
  readonly options: FakeKuaishouOptions;
  readonly requests: RecordedRequest[] = [];
  readonly sockets: FakeSocket[] = [];
  /** Tokens issued by websocketinfo and livedetail, with the broadcast they admit to. */
  readonly tokens: { token: string; liveStreamId: string }[] = [];
  /** The current broadcast; tests change it (offline, a new liveStreamId). */
  live: FakeKuaishouOptions['live'];
  /** When set, heartbeats go unanswered (and nothing else is sent unless the test pushes it). */
  silent = false;
  readonly #server: Server;
  readonly #wss: WebSocketServer;
  readonly #tcp = new Set<Socket>();
  #listeners: ((s: FakeSocket) => void)[] = [];
  readonly #calls = new Map<string, number>();

  constructor(options: FakeKuaishouOptions) {
    this.options = options;
    this.live = options.live;
    this.#server = createServer((req, res) => this.#http(req, res));
    this.#server.on('connection', (s) => {
      this.#tcp.add(s);
      s.on('close', () => this.#tcp.delete(s));
    });
    this.#wss = new WebSocketServer({ server: this.#server, path: '/websocket' });
    this.#wss.on('connection', (ws, req) => {
      const socket = new FakeSocket(ws, req, (s, f) => this.#onFrame(s, f));
      this.sockets.push(socket);
      for (const l of this.#listeners) l(socket);
    });
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
  }

  get base(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  get socketUrl(): string {
    return `${this.base.replace('http', 'ws')}/websocket`;
  }

  /** The `urls` config section pointing at this fake (the socket URL comes from the answers). */
  urls(): Record<string, string> {
    return {
      live_page: `${this.base}/u/`,
      websocket_info: `${this.base}/live_api/liveroom/websocketinfo`,
      live_detail: `${this.base}/live_api/liveroom/livedetail`,
      all_gifts: `${this.base}/live_api/emoji/allgifts`,
      gift_list: `${this.base}/live_api/emoji/gift-list`,
    };
  }

  /** The login cookie as a Cookie header. */
  cookie(): string {
    return Object.entries(this.options.login)
      .map(([k, v]) => `${k}=${v}`)
      .join('; ');
  }

  nextSocket(): Promise<FakeSocket> {
    return new Promise((resolve) => {
      const l = (s: FakeSocket) => {
        this.#listeners = this.#listeners.filter((x) => x !== l);
        resolve(s);
      };
      this.#listeners.push(l);
    });
  }

  paths(): string[] {
    return this.requests.map((r) => r.path);
  }

  async close(): Promise<void> {
    for (const c of this.#wss.clients) c.terminate();
    for (const s of this.#tcp) s.destroy();
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #onFrame(socket: FakeSocket, frame: ClientFrame): void {
    const now = (this.options.now ?? Date.now)();
    if (frame.type === 'heartbeat') {
      if (!this.silent) socket.send(heartbeatAck(now, frame.timestamp));
      return;
    }
    if (frame.type !== 'enter_room') return;
    const issued = this.tokens.find((t) => t.token === frame.token);
    if (!issued || !this.live || issued.liveStreamId !== frame.liveStreamId || frame.liveStreamId !== this.live.liveStreamId) {
      socket.send(scError(1001, 'invalid token or liveStreamId'));
      socket.close(1000, 'bye');
      return;
    }
    if (!this.silent) socket.send(enterRoomAck(this.options.heartbeatIntervalMs ?? 20_000));
  }

  #next(what: string, script: ResultScript | undefined): number {
    const n = this.#calls.get(what) ?? 0;
    this.#calls.set(what, n + 1);
    const list = script && script.length > 0 ? script : [1];
    return list[Math.min(n, list.length - 1)]!;
  }

  #loggedIn(req: IncomingMessage): boolean {
    const jar = cookies(req);
    return Object.entries(this.options.login).every(([k, v]) => jar.get(k) === v);
  }

  #issue(liveStreamId: string): string {
    const token = `ks-token-${this.tokens.length + 1}-${'t'.repeat(32)}`;
    this.tokens.push({ token, liveStreamId });
    return token;
  }

  #json(res: ServerResponse, body: unknown): void {
    res.writeHead(200, { 'content-type': 'application/json;charset=UTF-8' });
    res.end(JSON.stringify(body));
  }

  #http(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', this.base);
    this.requests.push({ at: (this.options.now ?? Date.now)(), path: url.pathname, query: url.searchParams, headers: req.headers });
    const pageUrl = `${this.base}/u/${this.options.principalId}`;
    if (url.pathname === `/u/${this.options.principalId}`) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'set-cookie': 'clientid=3; path=/' });
      res.end(roomPageHtml(this.options, this.live));
      return;
    }
    switch (url.pathname) {
      case '/live_api/liveroom/websocketinfo': {
        // Without the logged-in cookie, Kww and the room as Referer, risk control answers a captcha.
        const kwfv1 = this.options.login.kwfv1;
        const trusted = this.#loggedIn(req) && req.headers.referer === pageUrl && (!kwfv1 || req.headers.kww === kwfv1);
        const result = trusted ? this.#next('websocketinfo', this.options.websocketInfo) : 400002;
        if (result !== 1) return this.#json(res, { data: REFUSALS[result] ?? { result } });
        const id = url.searchParams.get('liveStreamId');
        if (!this.live || id !== this.live.liveStreamId || url.searchParams.get('caver') !== '2')
          return this.#json(res, { data: { result: 671 } });
        return this.#json(res, { data: { result: 1, token: this.#issue(id), websocketUrls: [this.socketUrl] } });
      }
      case '/live_api/liveroom/livedetail': {
        const result = this.#next('livedetail', this.options.liveDetail);
        if (url.searchParams.get('principalId') !== this.options.principalId) return this.#json(res, { data: { result: 671 } });
        // A refusal still carries a skeleton liveStream with an empty websocketInfo.
        if (result !== 1) return this.#json(res, { data: { ...(REFUSALS[result] ?? { result }), liveStream: {}, websocketInfo: {} } });
        if (!this.live) return this.#json(res, { data: { result: 671, liveStream: {}, websocketInfo: {} } });
        const key = this.options.detailUrlsKey ?? 'webSocketAddresses';
        return this.#json(res, {
          data: {
            result: 1,
            liveStream: { id: this.live.liveStreamId, caption: this.live.title, isLiving: true },
            author: { id: this.options.principalId, name: '主播' },
            websocketInfo: { token: this.#issue(this.live.liveStreamId), [key]: [this.socketUrl] },
          },
        });
      }
      case '/live_api/emoji/allgifts':
        return this.#json(res, {
          data: Object.fromEntries(
            Object.entries(this.options.giftNames ?? {}).map(([id, giftName]) => [id, { giftName, giftUrl: `https://fake/${id}.png` }]),
          ),
        });
      case '/live_api/emoji/gift-list':
        return this.#json(res, {
          data: {
            gifts: Object.entries(this.options.giftPrices ?? {}).map(([id, unitPrice]) => ({
              id: Number(id),
              name: this.options.giftNames?.[id] ?? '',
              unitPrice,
              picUrl: [{ url: `https://fake/${id}.png` }],
            })),
          },
        });
      default:
        res.writeHead(404).end();
    }
  }
}
