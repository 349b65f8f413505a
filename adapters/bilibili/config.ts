/**
 * `platform: bilibili` (the web danmaku socket) and `platform: bilibili-open` (the official
 * 直播开放平台). Zod only: loading the config never loads the adapter.
 */
import { z } from 'zod';
import { SourceBaseShape } from '../../src/config/sections/source-base.js';
import type { SourceNaming } from '../kit/plugin.js';

/** Upstream defaults; every URL can be overridden (proxies, tests). */
export const BILIBILI_DEFAULTS = {
  userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/138.0.0.0 Safari/537.36',
  nav: 'https://api.bilibili.com/x/web-interface/nav',
  spi: 'https://api.bilibili.com/x/frontend/finger/spi',
  roomInfo: 'https://api.live.bilibili.com/room/v1/Room/get_info',
  roomInit: 'https://api.live.bilibili.com/room/v1/Room/room_init',
  danmuInfo: 'https://api.live.bilibili.com/xlive/web-room/v1/index/getDanmuInfo',
  fallbackHost: 'broadcastlv.chat.bilibili.com',
  openBase: 'https://live-open.biliapi.com',
} as const;

const Ms = z.number().int().positive();

/** Money settings shared by both modes: gifts are valued in gold seeds (1000 = 1 CNY) × multiplier. */
const ValueShape = {
  /**
   * Multiplies gold seeds into the operator's unit before rounding to an integer: 1 keeps gold
   * seeds (default), 0.001 gives CNY, 0.01 gives 电池 (battery, 1 CNY = 10).
   */
  value_multiplier: z.number().positive().max(1_000_000).default(1),
};

/** Socket timing shared by both modes. */
const SocketShape = {
  heartbeat_ms: Ms.default(30_000),
  /** No packet for this long → the socket is considered dead and replaced. */
  stall_ms: Ms.default(35_000),
  reconnect_base_ms: Ms.default(1_000),
  reconnect_max_ms: Ms.default(60_000),
  request_timeout_ms: Ms.default(10_000),
  user_agent: z.string().min(1).default(BILIBILI_DEFAULTS.userAgent),
};

/** A room id as configured: digits (short or long id) or a live.bilibili.com URL. */
export function roomIdFrom(room: string): string | undefined {
  const trimmed = room.trim();
  if (/^\d{1,16}$/.test(trimmed)) return trimmed;
  const m = /^(?:https?:\/\/)?live\.bilibili\.com\/(?:h5\/|blanc\/)?(\d{1,16})(?:[/?#]|$)/.exec(trimmed);
  return m?.[1];
}

/** Web-mode upstream URLs; each defaults to Bilibili's and can point at a proxy or a test server. */
export const BilibiliUrlsSchema = z.strictObject({
  nav: z.url().default(BILIBILI_DEFAULTS.nav),
  spi: z.url().default(BILIBILI_DEFAULTS.spi),
  room_info: z.url().default(BILIBILI_DEFAULTS.roomInfo),
  room_init: z.url().default(BILIBILI_DEFAULTS.roomInit),
  danmu_info: z.url().default(BILIBILI_DEFAULTS.danmuInfo),
  /**
   * Replaces the socket URL getDanmuInfo's host list gives (`wss://{host}:{wss_port}/sub`);
   * for a proxy or a test server. Empty = use the host list.
   */
  websocket: z.union([z.literal(''), z.url({ protocol: /^wss?$/ })]).default(''),
});

/** `platform: bilibili`: the web danmaku socket, optionally logged in with a cookie. */
export const BilibiliSourceSchema = z.strictObject({
  ...SourceBaseShape,
  platform: z.literal('bilibili'),
  /** The room's id as in live.bilibili.com/<id> (short or long), or that URL. */
  room: z.string().refine((v) => roomIdFrom(v) !== undefined, 'a room id (digits) or a https://live.bilibili.com/<id> URL'),
  /**
   * A logged-in cookie (SESSDATA, bili_jct, DedeUserID, buvid3 …). Without one Bilibili masks
   * names and sends uid 0 a few minutes after connecting.
   */
  cookie: z.string().default(''),
  /** The uid the cookie belongs to; checked against nav's `mid` (empty = take nav's). */
  uid: z.union([z.literal(''), z.string().regex(/^\d{1,20}$/, 'digits')]).optional(),
  urls: BilibiliUrlsSchema.prefault({}),
  /** How long the WBI key from nav is reused (dropped at once on -352). */
  wbi_key_ttl_ms: Ms.default(12 * 3_600_000),
  /** Socket failures in a row before the HTTP steps (token, host list) run again. */
  reinit_after_failures: z.number().int().min(1).default(3),
  ...SocketShape,
  ...ValueShape,
});
/** A parsed `platform: bilibili` source, defaults applied. */
export type BilibiliSourceConfig = z.infer<typeof BilibiliSourceSchema>;

/** The platform and the room its sources are named after: the room id, however it was written. */
export const BILIBILI_NAMING: SourceNaming<BilibiliSourceConfig> = {
  platform: 'bilibili',
  room: (config) => roomIdFrom(config.room) ?? config.room,
};

/** Open-platform upstream URLs, overridable for proxies and tests. */
export const BilibiliOpenUrlsSchema = z.strictObject({
  /** Base of /v2/app/start, /v2/app/heartbeat and /v2/app/end. */
  api_base: z.url().default(BILIBILI_DEFAULTS.openBase),
});

/** `platform: bilibili-open`: the official open platform, entered with the streamer's identity code and our app's keys. */
export const BilibiliOpenSourceSchema = z.strictObject({
  ...SourceBaseShape,
  platform: z.literal('bilibili-open'),
  /** The streamer's 身份码 (identity code), handed over by the streamer. */
  code: z.string().min(1),
  app_id: z.union([z.string().regex(/^\d{1,20}$/), z.number().int().positive()]).transform(String),
  access_key_id: z.string().min(1),
  access_key_secret: z.string().min(1),
  urls: BilibiliOpenUrlsSchema.prefault({}),
  /** The project (app) heartbeat over HTTP; the platform ends apps silent for about 60 s. */
  app_heartbeat_ms: Ms.default(20_000),
  /** Wait after app/start is refused (e.g. 7002: a previous session not yet ended). */
  start_retry_ms: Ms.default(30_000),
  ...SocketShape,
  ...ValueShape,
});
/** A parsed `platform: bilibili-open` source, defaults applied. */
export type BilibiliOpenSourceConfig = z.infer<typeof BilibiliOpenSourceSchema>;

/** The platform and the room its sources are named after: the app (the streamer's code is a secret). */
export const BILIBILI_OPEN_NAMING: SourceNaming<BilibiliOpenSourceConfig> = { platform: 'bilibili-open', room: (config) => config.app_id };
