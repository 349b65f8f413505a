/**
 * The web-mode Source: the HTTP steps (nav, buvid, room, WBI-signed getDanmuInfo), then danmaku
 * sockets rotating through the host list with full-jitter backoff; the HTTP steps run again
 * after repeated failures or a rejected token. The socket also serves offline rooms, so
 * PREPARING/LIVE only change the state.
 */
import { EventEmitter } from 'node:events';
import { fullJitterBackoff, sleep, type Clock } from '../../src/core/clock.js';
import type { Logger } from '../../src/core/logger.js';
import type { Source, SourceEvents, SourceState } from '../../src/core/source.js';
import { BILIBILI_DEFAULTS, roomIdFrom, type BilibiliSourceConfig } from './config.js';
import { DiscardReporter } from '../common/discard.js';
import type { KitDeps } from '../kit/plugin.js';
import { sourceIdentity } from '../kit/plugin.js';
import { bilibiliPlugin } from './plugin.js';
import { BilibiliApiError, BilibiliHttp } from './http.js';
import type { Obj } from './json.js';
import type { MappingContext, MapResult } from './mapping-common.js';
import { mapWebCommand } from './mapping-web.js';
import { defaultSocketFactory, runSession, type SessionEnd, type SocketFactory } from './session.js';
import { CODE_WBI_REJECTED, WbiKeyCache, WebApi, type DanmuInfo, type RoomInfo } from './web-api.js';

/** What the Bilibili sources take. */
export type BilibiliSourceDeps = KitDeps;

/** Auth reply code for a rejected token. */
const CODE_TOKEN_REJECTED = -101;

/** The AUTH body; uid and room id are digit strings written as JSON numbers without a JS number in between. */
export function webAuthBody(o: { uid: string; roomId: string; buvid: string; token: string }): string {
  if (!/^\d+$/.test(o.uid) || !/^\d+$/.test(o.roomId)) throw new TypeError('uid and room id must be digit strings');
  const rest = JSON.stringify({ protover: 3, buvid: o.buvid, platform: 'web', type: 2, key: o.token });
  return `{"uid":${o.uid},"roomid":${o.roomId},${rest.slice(1)}`;
}

/** Follows one Bilibili room over the web danmaku socket. */
export class BilibiliSource extends EventEmitter<SourceEvents> implements Source {
  readonly name: string;
  readonly platform = 'bilibili';
  readonly #config: BilibiliSourceConfig;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #random: () => number;
  readonly #http: BilibiliHttp;
  readonly #api: WebApi;
  readonly #socketFactory: SocketFactory;
  readonly #discards: DiscardReporter;
  readonly #ctx: MappingContext;
  readonly #room: string;
  #last: SourceState['state'] | undefined;
  /** The real room id once resolved (for the `live` state a LIVE command brings). */
  #roomId = '';

  constructor(config: BilibiliSourceConfig, deps: BilibiliSourceDeps) {
    super();
    const room = roomIdFrom(config.room);
    if (!room) throw new TypeError(`bilibili: room "${config.room}" is neither a room id nor a live.bilibili.com URL`);
    this.#room = room;
    this.#config = config;
    this.#clock = deps.clock;
    this.#random = deps.random ?? Math.random;
    this.name = sourceIdentity(bilibiliPlugin, config).name;
    this.#logger = deps.logger.child({ component: 'source', platform: 'bilibili', room });
    this.#http = new BilibiliHttp(
      { userAgent: config.user_agent, cookie: config.cookie, timeoutMs: config.request_timeout_ms },
      { fetch: deps.fetch, dispatcher: deps.dispatcher },
    );
    this.#api = new WebApi({
      config,
      http: this.#http,
      logger: this.#logger,
      now: () => this.#clock.now(),
      wbi: new WbiKeyCache(config.wbi_key_ttl_ms),
    });
    this.#socketFactory = deps.socketFactory ?? defaultSocketFactory;
    this.#discards = new DiscardReporter({
      platform: 'bilibili',
      emit: (d) => this.emit('discard', d),
      logger: this.#logger,
      clock: this.#clock,
    });
    this.#ctx = { source: this.name, valueMultiplier: config.value_multiplier, now: () => this.#clock.now() };
    if (!this.#http.cookie('SESSDATA')) {
      this.#logger.warn('no logged-in cookie (SESSDATA): Bilibili masks names and sends uid 0 to anonymous sockets within minutes');
    }
  }

  #state(state: SourceState): void {
    this.#last = state.state;
    this.emit('state', state);
  }

  /** The HTTP steps; nav (uid and WBI key) runs again only when the key expired or was dropped. */
  async #init(signal: AbortSignal): Promise<{ room: RoomInfo; danmu: DanmuInfo }> {
    if (this.#api.needsNav()) await this.#api.nav(signal);
    await this.#api.buvid(signal);
    const room = await this.#api.room(this.#room, signal);
    const danmu = await this.#api.danmuInfo(room.roomId, signal);
    this.#logger.info('room resolved', {
      room_id: room.roomId,
      live_status: room.liveStatus,
      hosts: danmu.hosts.length,
      logged_in: this.#api.uid !== '0',
    });
    return { room, danmu };
  }

  #url(danmu: DanmuInfo, attempt: number): string {
    if (this.#config.urls.websocket) return this.#config.urls.websocket;
    const hosts = danmu.hosts.length > 0 ? danmu.hosts : [{ host: BILIBILI_DEFAULTS.fallbackHost, wssPort: 443 }];
    const h = hosts[attempt % hosts.length]!;
    return `wss://${h.host}:${h.wssPort}/sub`;
  }

  #onCommand(cmd: Obj): void {
    const result: MapResult = mapWebCommand(cmd, this.#ctx);
    if (result.problem) this.#discards.report(result.problem, Buffer.from(JSON.stringify(cmd).slice(0, 512)));
    for (const e of result.events) this.emit('event', e);
    const status = result.status;
    if (status?.state === 'live' && this.#last !== 'live') this.#state({ state: 'live', roomId: this.#roomId });
    if (status?.state === 'offline') this.#state({ state: 'offline', reason: status.reason });
  }

  async start(signal: AbortSignal): Promise<void> {
    let failures = 0;
    let attempt = 0;
    let current: { room: RoomInfo; danmu: DanmuInfo } | undefined;
    let reason = 'initial';
    while (!signal.aborted) {
      this.emit('reconnect', { reason });
      this.#state({ state: 'connecting', reason });
      try {
        if (!current) {
          current = await this.#init(signal);
          this.#roomId = current.room.roomId;
          attempt = 0;
        }
      } catch (err) {
        if (signal.aborted) break;
        failures += 1;
        const blocked = err instanceof BilibiliApiError && err.apiCode === CODE_WBI_REJECTED;
        const message = err instanceof Error ? err.message : String(err);
        this.#state(
          blocked
            ? { state: 'blocked', reason: message }
            : { state: 'error', reason: message, code: err instanceof BilibiliApiError ? err.code : 'bilibili_http' },
        );
        this.#logger.warn('bilibili room lookup failed', { error: message, failures });
        reason = 'init-failed';
        await this.#backoff(failures, signal);
        continue;
      }
      const { room, danmu } = current;
      const buvid = this.#http.cookie('buvid3') ?? '';
      const url = this.#url(danmu, attempt++);
      const headers: Record<string, string> = { 'user-agent': this.#http.userAgent, origin: 'https://live.bilibili.com' };
      const cookie = this.#http.cookieHeader();
      if (cookie) headers.cookie = cookie;
      const { end, authed } = await runSession(
        {
          url,
          headers,
          authBody: webAuthBody({ uid: this.#api.uid, roomId: room.roomId, buvid, token: danmu.token }),
          socketFactory: this.#socketFactory,
          clock: this.#clock,
          heartbeatMs: this.#config.heartbeat_ms,
          stallMs: this.#config.stall_ms,
          discards: this.#discards,
          onAuthed: () => {
            this.#state(
              room.liveStatus === 1
                ? { state: 'live', roomId: room.roomId, title: room.title }
                : { state: 'offline', reason: 'the room is not live' },
            );
          },
          onCommand: (cmd) => this.#onCommand(cmd),
        },
        signal,
      );
      if (end.kind === 'aborted') break;
      failures = authed ? 1 : failures + 1;
      if (this.#mustReinit(end, failures)) current = undefined;
      reason = endReason(end);
      this.#logger.info('bilibili socket ended', { reason, failures });
      await this.#backoff(failures, signal);
    }
  }

  #mustReinit(end: SessionEnd, failures: number): boolean {
    if (end.kind === 'auth-failed') {
      if (end.code === CODE_TOKEN_REJECTED) this.#logger.warn('the danmaku token was rejected (-101); fetching a new one');
      return true;
    }
    return end.kind === 'restart' || failures % this.#config.reinit_after_failures === 0;
  }

  async #backoff(failures: number, signal: AbortSignal): Promise<void> {
    const ms = fullJitterBackoff(failures - 1, this.#config.reconnect_base_ms, this.#config.reconnect_max_ms, this.#random);
    await sleep(this.#clock, ms, signal).catch(() => undefined);
  }
}

function endReason(end: Exclude<SessionEnd, { kind: 'aborted' }>): string {
  switch (end.kind) {
    case 'auth-failed':
      return `auth-failed: code ${end.code}`;
    case 'stall':
      return `stall: ${end.reason}`;
    case 'closed':
      return `closed: ${end.reason}`;
    case 'restart':
      return `restart: ${end.reason}`;
  }
}
