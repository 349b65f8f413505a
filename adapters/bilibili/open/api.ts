/**
 * The open platform's app (项目) calls: start (the streamer's code → game id, socket links and
 * auth body), heartbeat every 20 s, and end. All POST JSON with signed headers.
 */
import { BilibiliApiError, type BilibiliHttp } from '../http.js';
import { arr, idStr, obj, str } from '../json.js';
import type { BilibiliOpenSourceConfig } from '../config.js';
import { signOpenRequest } from './sign.js';

/** A started app session. */
export interface OpenSession {
  gameId: string;
  wssLinks: string[];
  authBody: string;
  roomId: string;
}

/** Codes meaning "that session is already gone": ending it again is a success. */
const ALREADY_ENDED = new Set([7000, 7003]);
/** The heartbeat's "session not found / timed out": a new start is needed. */
export const CODE_SESSION_GONE = 7003;

/** The open platform's app calls for one source, signed with its access key. */
export class OpenApi {
  readonly #appId: string;

  constructor(private readonly o: { config: BilibiliOpenSourceConfig; http: BilibiliHttp; now: () => number }) {
    if (!/^\d+$/.test(o.config.app_id)) throw new TypeError('app_id must be digits');
    this.#appId = o.config.app_id;
  }

  /** `json` is the body text: app_id goes out as a JSON number without passing through a JS number. */
  async #post(what: string, path: string, json: string, signal?: AbortSignal) {
    const body = Buffer.from(json, 'utf8');
    const headers = signOpenRequest({
      accessKeyId: this.o.config.access_key_id,
      accessKeySecret: this.o.config.access_key_secret,
      body,
      nowMs: this.o.now(),
    });
    const url = new URL(
      path,
      this.o.config.urls.api_base.endsWith('/') ? this.o.config.urls.api_base : `${this.o.config.urls.api_base}/`,
    ).toString();
    return this.o.http.json(what, url, { method: 'POST', headers, body, signal });
  }

  /** app/start: refused codes (e.g. 7002 a session still open, 7007 bad code) throw BilibiliApiError. */
  async start(signal: AbortSignal): Promise<OpenSession> {
    const res = await this.#post(
      'app/start',
      'v2/app/start',
      `{"code":${JSON.stringify(this.o.config.code)},"app_id":${this.#appId}}`,
      signal,
    );
    if (res.code !== 0) throw new BilibiliApiError('app/start', res.code, res.message);
    const game = obj(res.data.game_info);
    const ws = obj(res.data.websocket_info);
    const links = arr(ws.wss_link)
      .map(str)
      .filter((l) => /^wss?:\/\//.test(l));
    const authBody = str(ws.auth_body);
    if (links.length === 0 || !authBody) throw new BilibiliApiError('app/start', res.code, 'no websocket_info in the answer');
    return { gameId: str(game.game_id), wssLinks: links, authBody, roomId: idStr(obj(res.data.anchor_info).room_id) };
  }

  /** app/heartbeat; returns the platform's code (0 = fine). */
  async heartbeat(gameId: string): Promise<number> {
    return (await this.#post('app/heartbeat', 'v2/app/heartbeat', JSON.stringify({ game_id: gameId }))).code;
  }

  /** app/end; true when the session is ended (or was already). */
  async end(gameId: string): Promise<boolean> {
    const res = await this.#post('app/end', 'v2/app/end', `{"app_id":${this.#appId},"game_id":${JSON.stringify(gameId)}}`);
    return res.code === 0 || ALREADY_ENDED.has(res.code);
  }
}
