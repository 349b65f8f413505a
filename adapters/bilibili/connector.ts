/**
 * Bilibili web's steps for the kit's lifecycle: the HTTP steps (nav, buvid, room, WBI-signed
 * getDanmuInfo) resolve the room to a token and a host list; each session opens a danmaku socket,
 * rotating through the hosts. The socket also serves offline rooms, so LIVE / PREPARING only
 * change the state; the room status is read again whenever the socket is re-established, so a
 * reconnect during an offline gap does not report `live` from a stale status.
 */
import type { Connector, Resolution } from '../kit/lifecycle.js';
import type { SessionResult } from '../kit/session.js';
import type { SourceShell } from '../kit/shell.js';
import { runSocketSession } from '../kit/socket-session.js';
import { BILIBILI_DEFAULTS, roomIdFrom, type BilibiliSourceConfig } from './config.js';
import { danmakuProtocol } from './danmaku.js';
import { BilibiliApiError, BilibiliHttp } from './http.js';
import type { MappingContext } from './mapping-common.js';
import { mapWebCommand } from './mapping-web.js';
import { CODE_WBI_REJECTED, WbiKeyCache, WebApi, type DanmuInfo, type RoomInfo } from './web-api.js';

/** The AUTH body; uid and room id are digit strings written as JSON numbers without a JS number in between. */
export function webAuthBody(o: { uid: string; roomId: string; buvid: string; token: string }): string {
  if (!/^\d+$/.test(o.uid) || !/^\d+$/.test(o.roomId)) throw new TypeError('uid and room id must be digit strings');
  const rest = JSON.stringify({ protover: 3, buvid: o.buvid, platform: 'web', type: 2, key: o.token });
  return `{"uid":${o.uid},"roomid":${o.roomId},${rest.slice(1)}`;
}

/** One resolution: the room (its status kept current), the token and hosts, and the next host to try. */
export interface WebTarget {
  room: RoomInfo;
  danmu: DanmuInfo;
  attempt: number;
}

/** Follows one Bilibili room over the web danmaku socket. */
export class BilibiliWebConnector implements Connector<WebTarget> {
  readonly #config: BilibiliSourceConfig;
  readonly #shell: SourceShell;
  readonly #http: BilibiliHttp;
  readonly #api: WebApi;
  readonly #ctx: MappingContext;
  readonly #room: string;

  constructor(config: BilibiliSourceConfig, shell: SourceShell) {
    this.#config = config;
    this.#shell = shell;
    this.#room = roomIdFrom(config.room) ?? config.room;
    this.#http = new BilibiliHttp(
      { userAgent: config.user_agent, cookie: config.cookie, timeoutMs: config.request_timeout_ms },
      { fetch: shell.deps.fetch, dispatcher: shell.deps.dispatcher },
    );
    this.#api = new WebApi({
      config,
      http: this.#http,
      logger: shell.logger,
      now: () => shell.clock.now(),
      wbi: new WbiKeyCache(config.wbi_key_ttl_ms),
    });
    this.#ctx = { source: shell.name, valueMultiplier: config.value_multiplier, now: () => shell.clock.now() };
  }

  /** The HTTP steps; nav (uid and WBI key) runs again only when the key expired or was dropped. */
  async resolve(signal: AbortSignal): Promise<Resolution<WebTarget>> {
    try {
      if (this.#api.needsNav()) await this.#api.nav(signal);
      await this.#api.buvid(signal);
      const room = await this.#api.room(this.#room, signal);
      const danmu = await this.#api.danmuInfo(room.roomId, signal);
      this.#shell.logger.info('room resolved', {
        room_id: room.roomId,
        live_status: room.liveStatus,
        hosts: danmu.hosts.length,
        logged_in: this.#api.uid !== '0',
      });
      return { kind: 'live', target: { room, danmu, attempt: 0 } };
    } catch (err) {
      if (err instanceof BilibiliApiError && err.apiCode === CODE_WBI_REJECTED) return { kind: 'blocked', reason: err.message };
      throw err;
    }
  }

  async connect(target: WebTarget, signal: AbortSignal): Promise<SessionResult> {
    if (target.attempt > 0) await this.#refreshStatus(target, signal);
    const url = this.#url(target.danmu, target.attempt++);
    const headers: Record<string, string> = { 'user-agent': this.#http.userAgent, origin: 'https://live.bilibili.com' };
    const cookie = this.#http.cookieHeader();
    if (cookie) headers.cookie = cookie;
    const { room, danmu } = target;
    const protocol = danmakuProtocol(this.#shell, {
      authBody: webAuthBody({ uid: this.#api.uid, roomId: room.roomId, buvid: this.#http.cookie('buvid3') ?? '', token: danmu.token }),
      heartbeatMs: this.#config.heartbeat_ms,
      onAuthed: () =>
        this.#shell.setState(
          room.liveStatus === 1
            ? { state: 'live', roomId: room.roomId, title: room.title }
            : { state: 'offline', reason: 'the room is not live' },
        ),
      onCommand: (cmd) => {
        const result = mapWebCommand(cmd, this.#ctx);
        if (result.problem) this.#shell.discard(result.problem, JSON.stringify(cmd));
        for (const e of result.events) this.#shell.event(e);
        if (result.status?.state === 'live') {
          room.liveStatus = 1;
          if (this.#shell.state.state !== 'live') this.#shell.setState({ state: 'live', roomId: room.roomId });
        } else if (result.status?.state === 'offline') {
          room.liveStatus = 0;
          this.#shell.setState({ state: 'offline', reason: result.status.reason });
        }
      },
    });
    return runSocketSession(this.#shell, { url, headers, stallMs: this.#config.stall_ms, protocol }, signal);
  }

  /** Reads the room status again before a new socket (get_info, room_init as fallback); a failure keeps the last known one. */
  async #refreshStatus(target: WebTarget, signal: AbortSignal): Promise<void> {
    try {
      const fresh = await this.#api.room(this.#room, signal);
      target.room.liveStatus = fresh.liveStatus;
      target.room.title = fresh.title;
    } catch (err) {
      if (signal.aborted) throw err;
      this.#shell.logger.debug('room status refresh failed; keeping the last known', {
        error: err instanceof Error ? err.message : String(err),
      });
    }
  }

  #url(danmu: DanmuInfo, attempt: number): string {
    if (this.#config.urls.websocket) return this.#config.urls.websocket;
    const hosts = danmu.hosts.length > 0 ? danmu.hosts : [{ host: BILIBILI_DEFAULTS.fallbackHost, wssPort: 443 }];
    const h = hosts[attempt % hosts.length]!;
    return `wss://${h.host}:${h.wssPort}/sub`;
  }
}
