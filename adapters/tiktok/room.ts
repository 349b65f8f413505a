/**
 * Room resolution, unsigned and local: the live page's SIGI_STATE JSON, the `api-live/user/room`
 * API as its fallback, and `webcast/room/info` for a room's status (2 live, 4 ended). These are
 * also the only calls made while waiting for a broadcast: the signer (which costs budget) is
 * called only to connect to a room that is live.
 */
import type { TikTokSourceConfig, RoomRef } from './config.js';
import type { TikTokHttp } from './http.js';
import { browserFields } from './push.js';

/** The room of the current broadcast. */
export interface TikTokRoom {
  /** Issued per broadcast: a new broadcast has a new room id. */
  roomId: string;
  /** The handle the room was found by ('' for a configured room id). */
  handle: string;
  title: string;
}

/** What a resolution found. */
export type Resolution =
  | { kind: 'live'; room: TikTokRoom }
  | { kind: 'offline'; reason: string }
  | { kind: 'blocked'; reason: string }
  | { kind: 'not_found'; reason: string };

/** Room statuses (the Douyin family's codes). */
export const ROOM_STATUS = { live: 2, paused: 3, ended: 4 } as const;
/** The room API's status code for an unknown user. */
const USER_NOT_FOUND = 19881007;
/** The "prompts" answer TikTok gives rate-limited, captcha'd or low-score IPs. */
const RISK_CONTROL = 4003110;

const ID = /^\d{1,20}$/;

/** What one lookup said about the room. */
interface Lookup {
  roomId?: string;
  status?: number;
  title?: string;
}

function record(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/** A room id from JSON: a digit string, or a number only while it is exact. */
function roomIdOf(v: unknown): string | undefined {
  if (typeof v === 'string' && ID.test(v) && v !== '0') return v;
  if (typeof v === 'number' && Number.isSafeInteger(v) && v > 0) return String(v);
  return undefined;
}

const SIGI = /<script[^>]*\bid=["']SIGI_STATE["'][^>]*>([\s\S]*?)<\/script>/i;

/**
 * Reads the live page: room id at `LiveRoom.liveRoomUserInfo.user.roomId`, status at
 * `LiveRoom.liveRoomUserInfo.liveRoom.status`. Undefined when the page holds no such state (a
 * captcha or an IP-blocked answer).
 */
export function parseLivePage(html: string): Lookup | undefined {
  const m = SIGI.exec(html);
  if (!m) return undefined;
  let state: unknown;
  try {
    state = JSON.parse(m[1]!);
  } catch {
    return undefined;
  }
  const info = record(record(record(state)?.LiveRoom)?.liveRoomUserInfo);
  if (!info) return undefined;
  const user = record(info.user);
  const liveRoom = record(info.liveRoom);
  const roomId = roomIdOf(user?.roomId);
  const status = typeof liveRoom?.status === 'number' ? liveRoom.status : undefined;
  const title = typeof liveRoom?.title === 'string' ? liveRoom.title : undefined;
  // An account without a room at all (never went live) still has the state.
  return { roomId, status, title };
}

/** The room API's answer: `{statusCode, data: {user: {roomId}, liveRoom: {status}}}`. */
export function parseRoomApi(body: unknown): { ok: true; lookup: Lookup } | { ok: false; code: number | undefined; message: string } {
  const b = record(body);
  if (!b) return { ok: false, code: undefined, message: 'room API answered non-JSON' };
  const code = typeof b.statusCode === 'number' ? b.statusCode : typeof b.status_code === 'number' ? b.status_code : 0;
  if (code !== 0) {
    const message = typeof b.message === 'string' ? b.message : typeof b.status_msg === 'string' ? b.status_msg : '';
    return { ok: false, code, message: `room API statusCode ${code}${message ? ` (${message.slice(0, 80)})` : ''}` };
  }
  const data = record(b.data);
  const liveRoom = record(data?.liveRoom);
  return {
    ok: true,
    lookup: {
      roomId: roomIdOf(record(data?.user)?.roomId),
      status: typeof liveRoom?.status === 'number' ? liveRoom.status : undefined,
      title: typeof liveRoom?.title === 'string' ? liveRoom.title : undefined,
    },
  };
}

/** Room info's answer: `{status_code, data: {status, title}}`. */
export function parseRoomInfo(
  body: unknown,
): { ok: true; status: number | undefined; title?: string } | { ok: false; code: number | undefined } {
  const b = record(body);
  if (!b) return { ok: false, code: undefined };
  const code = typeof b.status_code === 'number' ? b.status_code : 0;
  if (code !== 0) return { ok: false, code };
  const data = record(b.data);
  return {
    ok: true,
    status: typeof data?.status === 'number' ? data.status : undefined,
    title: typeof data?.title === 'string' ? data.title : undefined,
  };
}

/** Whether a status means the room can be joined (live, or paused but still on). */
function joinable(status: number): boolean {
  return status === ROOM_STATUS.live || status === ROOM_STATUS.paused;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The web query the room API wants (browser fields matching a desktop Chrome UA). */
function roomApiQuery(handle: string, userAgent: string, deviceId: string): string {
  const pairs: [string, string][] = [
    ['aid', '1988'],
    ['app_name', 'tiktok_web'],
    ['device_platform', 'web_pc'],
    ['app_language', 'en'],
    ...browserFields(userAgent),
    ['device_id', deviceId],
    ['screen_height', '1080'],
    ['screen_width', '1920'],
    ['tz_name', 'Etc/UTC'],
    ['uniqueId', handle],
    ['sourceType', '54'],
  ];
  return pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
}

/** Resolves one configured room to its current broadcast, with unsigned calls only. */
export class RoomResolver {
  readonly #ref: RoomRef;
  readonly #config: TikTokSourceConfig;
  readonly #http: TikTokHttp;
  readonly #deviceId: string;

  constructor(options: { ref: RoomRef; config: TikTokSourceConfig; http: TikTokHttp; deviceId: string }) {
    this.#ref = options.ref;
    this.#config = options.config;
    this.#http = options.http;
    this.#deviceId = options.deviceId;
  }

  /** The room as operators name it. */
  get label(): string {
    return this.#ref.kind === 'handle' ? `@${this.#ref.handle}` : this.#ref.roomId;
  }

  /** Finds the current broadcast: live, offline, blocked or not found. */
  async resolve(signal: AbortSignal): Promise<Resolution> {
    if (this.#ref.kind === 'room_id') return this.#byRoomId(this.#ref.roomId, '', undefined, signal);
    const handle = this.#ref.handle;
    const page = await this.#page(handle, signal);
    let lookup = page.lookup;
    let apiWhy = '';
    if (!lookup?.roomId || lookup.status === undefined) {
      const api = await this.#roomApi(handle, signal);
      if (api.kind === 'not_found') return api;
      if (api.kind === 'ok') lookup = { ...lookup, ...api.lookup, title: api.lookup.title ?? lookup?.title };
      else apiWhy = api.reason;
    }
    if (!lookup) return { kind: 'blocked', reason: `${page.why}; ${apiWhy}` };
    if (!lookup.roomId) return { kind: 'offline', reason: `@${handle} has no room (offline)` };
    return this.#byRoomId(lookup.roomId, handle, lookup, signal);
  }

  /**
   * Whether `roomId` is live now, asked of room info alone (after a live end the page can still
   * name the ended room for a while; this confirms before anything is signed for it).
   */
  async isLive(roomId: string, signal: AbortSignal): Promise<boolean> {
    const info = await this.#roomInfo(roomId, signal);
    return info.kind === 'ok' && info.status !== undefined && joinable(info.status);
  }

  /** Room info decides when the lookups gave no status; a status from them is used as it is. */
  async #byRoomId(roomId: string, handle: string, lookup: Lookup | undefined, signal: AbortSignal): Promise<Resolution> {
    let status = lookup?.status;
    let title = lookup?.title ?? '';
    if (status === undefined) {
      const info = await this.#roomInfo(roomId, signal);
      if (info.kind !== 'ok') return info;
      status = info.status;
      title ||= info.title ?? '';
    }
    if (status !== undefined && joinable(status)) return { kind: 'live', room: { roomId, handle, title } };
    const why = status === ROOM_STATUS.ended ? 'ended' : status === undefined ? 'no status' : `status ${status}`;
    return { kind: 'offline', reason: `room ${roomId} is not live (${why})` };
  }

  async #page(handle: string, signal: AbortSignal): Promise<{ lookup?: Lookup; why: string }> {
    const url = `${this.#config.urls.page}@${encodeURIComponent(handle)}/live`;
    const answer = await this.#http.get(url, 'live page', { signal });
    if (answer.status !== 200) return { why: `live page answered HTTP ${answer.status}` };
    const lookup = parseLivePage(answer.text());
    return lookup ? { lookup, why: '' } : { why: 'live page without SIGI_STATE (captcha or IP block)' };
  }

  async #roomApi(
    handle: string,
    signal: AbortSignal,
  ): Promise<{ kind: 'ok'; lookup: Lookup } | { kind: 'failed'; reason: string } | { kind: 'not_found'; reason: string }> {
    const url = `${this.#config.urls.room_api}?${roomApiQuery(handle, this.#http.userAgent, this.#deviceId)}`;
    const answer = await this.#http.get(url, 'room API', { accept: 'application/json', signal });
    if (answer.status !== 200) return { kind: 'failed', reason: `room API answered HTTP ${answer.status}` };
    const parsed = parseRoomApi(parseJson(answer.text()));
    if (parsed.ok) return { kind: 'ok', lookup: parsed.lookup };
    if (parsed.code === USER_NOT_FOUND)
      return { kind: 'not_found', reason: `no TikTok user @${handle} (room API statusCode ${USER_NOT_FOUND} user_not_found)` };
    return { kind: 'failed', reason: parsed.message };
  }

  async #roomInfo(roomId: string, signal: AbortSignal): Promise<{ kind: 'ok'; status: number | undefined; title?: string } | Resolution> {
    const url = `${this.#config.urls.room_info}?aid=1988&app_name=tiktok_web&device_platform=web_pc&room_id=${roomId}`;
    const answer = await this.#http.get(url, 'room info', { accept: 'application/json', signal });
    if (answer.status !== 200) return { kind: 'blocked', reason: `room info answered HTTP ${answer.status}` };
    const parsed = parseRoomInfo(parseJson(answer.text()));
    if (parsed.ok) return { kind: 'ok', status: parsed.status, title: parsed.title };
    if (parsed.code === RISK_CONTROL)
      return { kind: 'blocked', reason: `room info status_code ${RISK_CONTROL} (rate limit, captcha or a low IP score)` };
    return { kind: 'blocked', reason: `room info ${parsed.code === undefined ? 'answered non-JSON' : `status_code ${parsed.code}`}` };
  }
}
