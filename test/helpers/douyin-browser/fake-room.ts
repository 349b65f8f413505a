/**
 * A fake Douyin live room for a real browser, on 127.0.0.1: the room page (whose script loads
 * the gift list, opens the push WebSocket, reconnects when it closes, polls im/fetch, and
 * reports what it sees), the push server (real `ws`, real gzip'd PushFrames), im/fetch answers
 * (protobuf Responses), and decoys the source must block (image, video file, flv stream).
 * Every request is recorded for assertions.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { response } from '../douyin/frames.js';
import { GIFT_LIST, ROOM_ID } from '../douyin/scenario.js';

export interface FakeRoomOptions {
  /** How often the page polls im/fetch. */
  pollMs?: number;
  /** How long the page waits before reopening a closed push socket. */
  reconnectMs?: number;
}

/** One im/fetch answer: the body bytes, optionally sent with Content-Encoding: gzip. */
export interface FetchAnswer {
  body: Uint8Array;
  contentEncoding?: 'gzip';
}

/** A request the page made. */
export interface PageRequest {
  path: string;
  query: URLSearchParams;
  userAgent: string;
}

function roomPage(roomId: string, o: Required<FakeRoomOptions>): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>fake room</title></head><body>
<img src="/decoy/cover.png"><video id="v" src="/decoy/clip.mp4" autoplay></video>
<script>
(() => {
  const report = (p) => fetch(p).catch(() => {});
  const v = document.getElementById('v');
  v.play().catch(() => {});
  setTimeout(() => report('/report?muted=' + v.muted + '&paused=' + v.paused), 50);
  fetch('/decoy/stream.flv').catch(() => {});
  for (const type of ['mousemove', 'keydown']) addEventListener(type, (e) => report('/input?type=' + type + '&trusted=' + e.isTrusted), true);
  const connect = () => {
    const ws = new WebSocket('ws://' + location.host + '/webcast/im/push/v2/?room_id=${roomId}&compress=gzip');
    ws.binaryType = 'arraybuffer';
    ws.onclose = () => setTimeout(connect, ${o.reconnectMs});
  };
  const poll = async () => {
    await fetch('/webcast/im/fetch/?room_id=${roomId}&resp_content_type=protobuf').catch(() => {});
    setTimeout(poll, ${o.pollMs});
  };
  fetch('/webcast/gift/list/?aid=6383').then(() => { connect(); poll(); }, () => { connect(); poll(); });
})();
</script></body></html>`;
}

/** The fake room and its push server on one port. */
export class FakeRoom {
  readonly requests: PageRequest[] = [];
  /** Upgrade requests of push sockets, in order. */
  readonly pushUpgrades: PageRequest[] = [];
  /** Answers im/fetch will give, in order; an empty Response when the queue is empty. */
  readonly fetchAnswers: FetchAnswer[] = [];
  /** When false, im/fetch answers 404 (the page's poll then is no traffic at all). */
  fetchEnabled = true;
  readonly #server: Server;
  readonly #wss = new WebSocketServer({ noServer: true });
  readonly #sockets = new Set<WebSocket>();
  readonly #tcp = new Set<Socket>();
  readonly #options: Required<FakeRoomOptions>;
  #port = 0;

  constructor(options: FakeRoomOptions = {}) {
    this.#options = { pollMs: options.pollMs ?? 400, reconnectMs: options.reconnectMs ?? 200 };
    this.#server = createServer((req, res) => this.#handle(req, res));
    this.#server.on('connection', (s) => {
      this.#tcp.add(s);
      s.on('close', () => this.#tcp.delete(s));
    });
    this.#server.on('upgrade', (req, socket, head) => {
      this.pushUpgrades.push(this.#record(req));
      this.#wss.handleUpgrade(req, socket, head, (ws) => {
        this.#sockets.add(ws);
        ws.on('close', () => this.#sockets.delete(ws));
      });
    });
  }

  async listen(): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.#port = (this.#server.address() as AddressInfo).port;
    return this;
  }

  /** The room page URL template for the source config. */
  get roomUrlTemplate(): string {
    return `http://127.0.0.1:${this.#port}/live/{web_rid}`;
  }

  /** A room page URL template answered with HTTP 429 (risk control). */
  get refusedUrlTemplate(): string {
    return `http://127.0.0.1:${this.#port}/refused/{web_rid}`;
  }

  /** Requests to `path` so far. */
  hits(path: string): PageRequest[] {
    return this.requests.filter((r) => r.path === path);
  }

  /** Push sockets currently open. */
  get openSockets(): number {
    return this.#sockets.size;
  }

  /** Sends one binary frame to every open push socket. */
  push(bytes: Uint8Array): void {
    for (const ws of this.#sockets) ws.send(bytes);
  }

  /** Closes every push socket from the server side (close frame 1001). */
  closeSockets(): void {
    for (const ws of this.#sockets) ws.close(1001, 'going away');
  }

  async close(): Promise<void> {
    for (const ws of this.#sockets) ws.terminate();
    for (const s of this.#tcp) s.destroy();
    this.#wss.close();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #record(req: IncomingMessage): PageRequest {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    return { path: url.pathname, query: url.searchParams, userAgent: String(req.headers['user-agent'] ?? '') };
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    const r = this.#record(req);
    this.requests.push(r);
    if (r.path.startsWith('/refused/')) {
      // Risk control as the room page shows it: the page itself is refused.
      res.writeHead(429, { 'content-type': 'text/plain' }).end('too many requests');
    } else if (r.path.startsWith('/live/')) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(roomPage(ROOM_ID, this.#options));
    } else if (r.path === '/webcast/im/fetch/') {
      if (!this.fetchEnabled) {
        res.writeHead(404).end();
        return;
      }
      const answer = this.fetchAnswers.shift() ?? { body: response({ messages: [] }) };
      const headers: Record<string, string> = { 'content-type': 'application/protobuffer' };
      if (answer.contentEncoding) headers['content-encoding'] = answer.contentEncoding;
      res.writeHead(200, headers).end(Buffer.from(answer.body));
    } else if (r.path === '/webcast/gift/list/') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status_code: 0, data: { gifts: GIFT_LIST } }));
    } else {
      // /report, /input and the decoys: recorded, answered with nothing.
      res.writeHead(204).end();
    }
  }
}
