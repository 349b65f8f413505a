/**
 * Room resolution: ttwid cookie, the live page (with the __ac_nonce retry), the web/enter
 * status API, and the im/fetch bootstrap. Risk-control answers become `blocked` with a reason.
 */
import type { Logger } from '../../src/core/logger.js';
import { decodeResponse } from './codec.js';
import type { DouyinSourceConfig } from './config.js';
import { parseGiftList, type GiftInfo } from './gift-table.js';
import type { DouyinHttp } from './http.js';
import { parseLivePage, type PageState } from './page-state.js';
import { imFetchQuery, normalisePushServer, randomDigits, syntheticResume, webEnterQuery } from './params.js';

/** The room of the current broadcast. */
export interface RoomInfo {
  webRid: string;
  /** Issued per broadcast; web_rid stays. */
  roomId: string;
  /** The visitor id: same value in the signature input and the push URL. */
  userUniqueId: string;
  title: string;
  anchorName: string;
}

/** What a resolution found. */
export type Resolution =
  | { kind: 'live'; room: RoomInfo }
  | { kind: 'offline'; reason: string }
  | { kind: 'blocked'; reason: string }
  | { kind: 'not_found'; reason: string };

/** Resume state and push host for the WebSocket. */
export interface Bootstrap {
  cursor: string;
  internalExt: string;
  pushServer?: string;
  heartbeatDurationS: number;
}

const LIVE_STATUS = 2;

type EnterAnswer = { ok: true; status?: number; roomId?: string; title?: string; anchorName?: string } | { ok: false; reason: string };

function parseEnter(status: number, text: string): EnterAnswer {
  if (status !== 200) return { ok: false, reason: `web/enter answered HTTP ${status}` };
  if (text.trim() === '') return { ok: false, reason: 'web/enter answered an empty body (risk control)' };
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return { ok: false, reason: 'web/enter answered non-JSON (captcha or risk page)' };
  }
  if (body.status_code !== 0) return { ok: false, reason: `web/enter status_code ${String(body.status_code)} (risk control)` };
  const data = (body.data ?? {}) as Record<string, unknown>;
  const room = (Array.isArray(data.data) ? data.data[0] : undefined) as Record<string, unknown> | undefined;
  const user = (data.user ?? {}) as Record<string, unknown>;
  // data.room_status uses another convention (0 live, 2 ended): only a fallback.
  const roomStatus = typeof data.room_status === 'number' ? (data.room_status === 0 ? LIVE_STATUS : 4) : undefined;
  return {
    ok: true,
    status: typeof room?.status === 'number' ? room.status : roomStatus,
    roomId: typeof room?.id_str === 'string' && /^\d+$/.test(room.id_str) ? room.id_str : undefined,
    title: typeof room?.title === 'string' ? room.title : undefined,
    anchorName: typeof user.nickname === 'string' ? user.nickname : undefined,
  };
}

/** Resolves one web_rid to its current broadcast. */
export class RoomResolver {
  readonly #webRid: string;
  readonly #config: DouyinSourceConfig;
  readonly #http: DouyinHttp;
  readonly #logger: Logger;
  readonly #msToken: string;
  readonly #now: () => number;
  /** Used when the page gives no visitor id; stable for the life of the source. */
  readonly #visitorId = randomDigits(19);

  constructor(options: {
    webRid: string;
    config: DouyinSourceConfig;
    http: DouyinHttp;
    logger: Logger;
    msToken: string;
    now: () => number;
  }) {
    this.#webRid = options.webRid;
    this.#config = options.config;
    this.#http = options.http;
    this.#logger = options.logger;
    this.#msToken = options.msToken;
    this.#now = options.now;
  }

  get referer(): string {
    return `${this.#config.urls.live_page}${this.#webRid}`;
  }

  async #page(signal: AbortSignal): Promise<{ status: number; state: PageState }> {
    if (!this.#http.cookie('ttwid')) await this.#http.get(this.#config.urls.live_page, 'ttwid', { signal });
    let answer = await this.#http.get(this.referer, 'live page', { signal });
    let state = answer.status === 200 ? parseLivePage(answer.text()) : {};
    // The first request without __ac_nonce only sets the cookie; the same request again has the state.
    if (answer.status === 200 && !state.roomId && !state.anchorWithoutRoom && this.#http.cookie('__ac_nonce')) {
      answer = await this.#http.get(this.referer, 'live page', { signal });
      state = answer.status === 200 ? parseLivePage(answer.text()) : {};
    }
    return { status: answer.status, state };
  }

  /** Finds the current broadcast: live, offline, blocked (risk control) or not found. */
  async resolve(signal: AbortSignal): Promise<Resolution> {
    const page = await this.#page(signal);
    if (page.status === 404 || page.status === 410)
      return { kind: 'not_found', reason: `live page answered HTTP ${page.status}: no such room ${this.#webRid}` };
    const query = webEnterQuery({
      webRid: this.#webRid,
      roomId: page.state.roomId ?? '',
      userAgent: this.#http.userAgent,
      msToken: this.#msToken,
    });
    const answer = await this.#http.get(`${this.#config.urls.web_enter}?${query}`, 'web/enter', {
      signal,
      referer: this.referer,
      accept: 'application/json',
    });
    const enter = parseEnter(answer.status, answer.text());
    const base = { webRid: this.#webRid, userUniqueId: page.state.userUniqueId ?? this.#visitorId };
    if (enter.ok) {
      const roomId = enter.roomId ?? page.state.roomId;
      const room: RoomInfo = {
        ...base,
        roomId: roomId ?? '',
        title: enter.title ?? page.state.title ?? '',
        anchorName: enter.anchorName ?? page.state.anchorName ?? '',
      };
      if (enter.status === LIVE_STATUS && roomId) return { kind: 'live', room };
      return {
        kind: 'offline',
        reason: enter.status === undefined ? 'web/enter lists no room (offline)' : `room status ${enter.status} (not live)`,
      };
    }
    if (page.state.anchorWithoutRoom) return { kind: 'offline', reason: 'the account has no room open (offline)' };
    if (page.state.roomId && page.state.status !== undefined) {
      this.#logger.warn('web/enter refused; using the live page state', { reason: enter.reason });
      if (page.state.status !== LIVE_STATUS) return { kind: 'offline', reason: `room status ${page.state.status} (not live)` };
      return {
        kind: 'live',
        room: { ...base, roomId: page.state.roomId, title: page.state.title ?? '', anchorName: page.state.anchorName ?? '' },
      };
    }
    const pageWhy = page.status === 200 ? 'live page without room state' : `live page HTTP ${page.status}`;
    return { kind: 'blocked', reason: `${enter.reason}; ${pageWhy}` };
  }

  /** im/fetch: resume state and push host; synthetic values when it fails. */
  async bootstrap(room: RoomInfo, signal: AbortSignal): Promise<Bootstrap> {
    const fallback = (): Bootstrap => ({ ...syntheticResume(room.roomId, room.userUniqueId, this.#now()), heartbeatDurationS: 0 });
    if (!this.#config.im_fetch) return fallback();
    try {
      const query = imFetchQuery({
        roomId: room.roomId,
        userUniqueId: room.userUniqueId,
        userAgent: this.#http.userAgent,
        msToken: this.#msToken,
      });
      const answer = await this.#http.get(`${this.#config.urls.im_fetch}?${query}`, 'im/fetch', {
        signal,
        referer: this.referer,
        accept: 'application/x-protobuf',
      });
      if (answer.status !== 200) throw new Error(`HTTP ${answer.status}`);
      const res = decodeResponse(answer.body);
      if (!res.cursor || !res.internalExt) throw new Error('answer without cursor/internal_ext');
      return {
        cursor: res.cursor,
        internalExt: res.internalExt,
        pushServer: normalisePushServer([res.pushServerV2, res.pushServer, res.proxyServer]),
        heartbeatDurationS: res.heartbeatDurationS,
      };
    } catch (err) {
      if (signal.aborted) throw signal.reason;
      this.#logger.warn('im/fetch bootstrap failed; connecting with synthetic resume state', {
        error: err instanceof Error ? err.message : String(err),
      });
      return fallback();
    }
  }

  /** The gift list (names, diamonds, combo flags). */
  async giftList(signal: AbortSignal): Promise<Map<string, GiftInfo>> {
    const answer = await this.#http.get(`${this.#config.urls.gift_list}?device_platform=webapp&aid=6383`, 'gift list', {
      signal,
      referer: this.referer,
      accept: 'application/json',
    });
    if (answer.status !== 200) throw new Error(`gift list answered HTTP ${answer.status}`);
    return parseGiftList(JSON.parse(answer.text()));
  }
}
