/**
 * The web mode's HTTP steps before a socket can open: nav (login uid and WBI key), buvid
 * cookies (spi), the real room id (get_info, room_init as fallback), and the WBI-signed
 * getDanmuInfo (token and host list).
 */
import type { Logger } from '../../src/core/logger.js';
import type { BilibiliSourceConfig } from './config.js';
import { BilibiliApiError, type BilibiliHttp } from './http.js';
import { arr, idStr, int, obj, str } from './json.js';
import { mixinKey, signWbi } from './wbi.js';

/** The room as the platform names it. */
export interface RoomInfo {
  /** The long (real) room id. */
  roomId: string;
  ownerUid: string;
  /** 0 offline, 1 live, 2 rotation (replays). */
  liveStatus: number;
  title: string;
}

/** One danmaku server. */
export interface DanmuHost {
  host: string;
  wssPort: number;
}

/** What a socket needs: token and servers. */
export interface DanmuInfo {
  token: string;
  hosts: DanmuHost[];
}

/** The platform's "risk control / bad WBI signature" answer. */
export const CODE_WBI_REJECTED = -352;

/** Caches the WBI mixin key from nav for `ttlMs`; dropped when the platform rejects a signature. */
export class WbiKeyCache {
  #key = '';
  #fetchedAt = 0;

  constructor(private readonly ttlMs: number) {}

  get(now: number): string | undefined {
    return this.#key && now - this.#fetchedAt < this.ttlMs ? this.#key : undefined;
  }

  set(key: string, now: number): void {
    this.#key = key;
    this.#fetchedAt = now;
  }

  drop(): void {
    this.#key = '';
  }
}

/** WebApi's config and injected HTTP, logger, clock and shared WBI key cache. */
export interface WebApiOptions {
  config: BilibiliSourceConfig;
  http: BilibiliHttp;
  logger: Logger;
  now: () => number;
  wbi: WbiKeyCache;
}

/** The web HTTP steps, as one object per source. */
export class WebApi {
  /** The uid the cookie belongs to ('0' when anonymous), as nav reported it. */
  uid = '0';
  #navved = false;

  constructor(private readonly o: WebApiOptions) {}

  /** Whether nav must run before the next getDanmuInfo: never run yet, or the WBI key expired or was dropped. */
  needsNav(): boolean {
    return !this.#navved || this.o.wbi.get(this.o.now()) === undefined;
  }

  /** nav: the login state (uid) and a fresh WBI key. */
  async nav(signal: AbortSignal): Promise<void> {
    const res = await this.o.http.json('nav', this.o.config.urls.nav, { signal });
    // -101 is "not logged in": still a valid answer carrying the WBI key.
    if (res.code !== 0 && res.code !== -101) throw new BilibiliApiError('nav', res.code, res.message);
    const loggedIn = res.data.isLogin === true;
    const mid = loggedIn ? idStr(res.data.mid) : '';
    const configured = this.o.config.uid;
    if (configured && mid && configured !== mid) {
      this.o.logger.warn("the cookie belongs to another uid than configured; using the cookie's", {
        configured_uid: configured,
        cookie_uid: mid,
      });
    }
    if (!loggedIn && this.o.http.cookie('SESSDATA'))
      this.o.logger.warn('the configured SESSDATA is not logged in (expired?): names will be masked and uids 0');
    this.uid = mid || '0';
    const img = obj(res.data.wbi_img);
    const key = mixinKey(str(img.img_url), str(img.sub_url));
    if (key.length !== 32) throw new BilibiliApiError('nav', res.code, 'no usable wbi_img keys');
    this.o.wbi.set(key, this.o.now());
    this.#navved = true;
  }

  /** buvid3/buvid4 from spi, unless the configured cookie already has them. */
  async buvid(signal: AbortSignal): Promise<void> {
    if (this.o.http.cookie('buvid3') && this.o.http.cookie('buvid4')) return;
    const res = await this.o.http.json('spi', this.o.config.urls.spi, { signal });
    if (res.code !== 0) throw new BilibiliApiError('spi', res.code, res.message);
    const b3 = str(res.data.b_3);
    const b4 = str(res.data.b_4);
    if (!b3) throw new BilibiliApiError('spi', res.code, 'no b_3 in the answer');
    if (!this.o.http.cookie('buvid3')) this.o.http.setCookie('buvid3', b3);
    if (b4 && !this.o.http.cookie('buvid4')) this.o.http.setCookie('buvid4', b4);
  }

  /** The real room id and live status of a short or long id. */
  async room(roomId: string, signal: AbortSignal): Promise<RoomInfo> {
    const url = new URL(this.o.config.urls.room_info);
    url.searchParams.set('room_id', roomId);
    const res = await this.o.http.json('get_info', url.toString(), { signal });
    if (res.code === 0 && idStr(res.data.room_id)) return toRoom(res.data);
    this.o.logger.debug('get_info failed, trying room_init', { code: res.code });
    const init = new URL(this.o.config.urls.room_init);
    init.searchParams.set('id', roomId);
    const fallback = await this.o.http.json('room_init', init.toString(), { signal });
    if (fallback.code !== 0 || !idStr(fallback.data.room_id)) throw new BilibiliApiError('room_init', fallback.code, fallback.message);
    return toRoom(fallback.data);
  }

  /** getDanmuInfo, WBI-signed; on -352 the key is refreshed once and the call repeated. */
  async danmuInfo(roomId: string, signal: AbortSignal): Promise<DanmuInfo> {
    for (let attempt = 0; ; attempt++) {
      let key = this.o.wbi.get(this.o.now());
      if (!key) {
        await this.nav(signal);
        key = this.o.wbi.get(this.o.now()) ?? '';
      }
      const url = new URL(this.o.config.urls.danmu_info);
      url.search = signWbi({ id: roomId, type: '0', web_location: '444.8' }, key, this.o.now());
      const res = await this.o.http.json('getDanmuInfo', url.toString(), { signal });
      if (res.code === CODE_WBI_REJECTED) {
        this.o.wbi.drop();
        if (attempt === 0) continue;
      }
      if (res.code !== 0) throw new BilibiliApiError('getDanmuInfo', res.code, res.message);
      const token = str(res.data.token);
      const hosts = arr(res.data.host_list)
        .map((h) => ({ host: str(obj(h).host), wssPort: int(obj(h).wss_port, 443) }))
        .filter((h) => /^[A-Za-z0-9.-]{1,253}$/.test(h.host));
      return { token, hosts };
    }
  }
}

function toRoom(data: Record<string, unknown>): RoomInfo {
  return { roomId: idStr(data.room_id), ownerUid: idStr(data.uid) || '0', liveStatus: int(data.live_status), title: str(data.title) };
}
