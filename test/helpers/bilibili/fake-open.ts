/**
 * A fake Bilibili open platform on 127.0.0.1: /v2/app/start, /heartbeat and /end checking the
 * x-bili-* header signature (recomputed here independently) and the body MD5, and the danmaku
 * socket accepting only the issued auth_body. Every call is recorded in order.
 */
import { createHash, createHmac } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FakeDanmakuServer, type FakeConnection } from './fake-bilibili.js';
import { authReply } from './frames.js';

export const OPEN_KEY = { id: 'AKID-open-test', secret: 'open-secret-never-logged' };
export const OPEN_CODE = 'BKVXG3VBGMF7M';
export const APP_ID = '1700000000001';

/** One recorded API call. */
export interface OpenCall {
  path: string;
  body: Record<string, unknown>;
  bodyText: string;
  signatureOk: boolean;
}

export class FakeOpenPlatform {
  readonly calls: OpenCall[] = [];
  /** Codes for the next app/start calls (then 0). */
  startCodes: number[] = [];
  /** Codes for the next heartbeats (then 0). */
  heartbeatCodes: number[] = [];
  /** The running game, if any (a second start while one runs is refused with 7002). */
  active: string | undefined;
  #games = 0;
  readonly #net: FakeDanmakuServer;

  constructor() {
    this.#net = new FakeDanmakuServer(
      (req, res) => this.#http(req, res),
      (c, p) => {
        if (p.op === 7) c.send(authReply(this.active && p.body === this.authBody(this.active) ? 0 : -101));
      },
    );
  }

  get connections(): FakeConnection[] {
    return this.#net.connections;
  }

  async listen(): Promise<void> {
    await this.#net.listen();
  }

  get base(): string {
    return `http://127.0.0.1:${this.#net.port}`;
  }

  authBody(gameId: string): string {
    return JSON.stringify({ roomid: 7734200, protoover: 2, key: `key-${gameId}`, group: 'open' });
  }

  nextConnection(): Promise<FakeConnection> {
    return this.#net.nextConnection();
  }

  paths(): string[] {
    return this.calls.map((c) => c.path);
  }

  async close(): Promise<void> {
    await this.#net.close();
  }

  #signatureOk(req: IncomingMessage, body: Buffer): boolean {
    const h = req.headers;
    const names = Object.keys(h)
      .filter((k) => k.startsWith('x-bili-'))
      .sort();
    const expectedNames = [
      'x-bili-accesskeyid',
      'x-bili-content-md5',
      'x-bili-signature-method',
      'x-bili-signature-nonce',
      'x-bili-signature-version',
      'x-bili-timestamp',
    ];
    if (names.join() !== expectedNames.join()) return false;
    if (h['x-bili-accesskeyid'] !== OPEN_KEY.id || h['x-bili-content-md5'] !== createHash('md5').update(body).digest('hex')) return false;
    const text = names.map((k) => `${k}:${String(h[k])}`).join('\n');
    return h.authorization === createHmac('sha256', OPEN_KEY.secret).update(text).digest('hex');
  }

  #reply(res: ServerResponse, code: number, data: unknown = {}): void {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ code, message: code === 0 ? '0' : `error ${code}`, request_id: 'req-1', data }));
  }

  #http(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const bodyBuf = Buffer.concat(chunks);
      const path = new URL(req.url ?? '/', this.base).pathname;
      const signatureOk = this.#signatureOk(req, bodyBuf);
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(bodyBuf.toString('utf8')) as Record<string, unknown>;
      } catch {
        // recorded as empty; answered below
      }
      this.calls.push({ path, body, bodyText: bodyBuf.toString('utf8'), signatureOk });
      if (req.method !== 'POST') return this.#reply(res, 4000);
      if (!signatureOk) return this.#reply(res, 4002);
      if (path === '/v2/app/start') {
        const code = this.startCodes.shift() ?? 0;
        if (code !== 0) return this.#reply(res, code);
        if (body.code !== OPEN_CODE || String(body.app_id) !== APP_ID) return this.#reply(res, 7007);
        if (this.active) return this.#reply(res, 7002);
        const gameId = `game-${++this.#games}`;
        this.active = gameId;
        return this.#reply(res, 0, {
          game_info: { game_id: gameId },
          websocket_info: { auth_body: this.authBody(gameId), wss_link: [`${this.base.replace('http', 'ws')}/sub`] },
          anchor_info: { room_id: 7734200, uname: '主播', uface: '', uid: 50329118, open_id: 'anchor-open-id', union_id: '' },
        });
      }
      if (path === '/v2/app/heartbeat') {
        const code = this.heartbeatCodes.shift() ?? (body.game_id === this.active ? 0 : 7003);
        if (code === 7003) this.active = undefined;
        return this.#reply(res, code);
      }
      if (path === '/v2/app/end') {
        if (body.game_id !== this.active) return this.#reply(res, 7003);
        this.active = undefined;
        return this.#reply(res, 0);
      }
      this.#reply(res, 404);
    });
  }
}
