/**
 * `platform: douyin` — a Douyin web live room over the signed push WebSocket.
 * Zod only: loading the config never loads the adapter.
 */
import { z } from 'zod';
import { SourceBaseShape } from '../../src/config/sections/source-base.js';
import type { SourceNaming } from '../kit/plugin.js';

/** Upstream defaults; every URL can be overridden (proxies, tests). */
export const DOUYIN_DEFAULTS = {
  userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  livePage: 'https://live.douyin.com/',
  webEnter: 'https://live.douyin.com/webcast/room/web/enter/',
  imFetch: 'https://live.douyin.com/webcast/im/fetch/',
  giftList: 'https://live.douyin.com/webcast/gift/list/',
  websocket: 'wss://webcast100-ws-web-lf.douyin.com/webcast/im/push/v2/',
  sdkVersion: '1.0.15',
  minStatusPollMs: 15_000,
} as const;

const Ms = z.number().int().positive();

/** The web_rid from a config `room`: the number itself or a live.douyin.com URL. */
export function webRidFrom(room: string): string | undefined {
  const trimmed = room.trim();
  if (/^\d{1,20}$/.test(trimmed)) return trimmed;
  const m = /^(?:https?:\/\/)?live\.douyin\.com\/(\d{1,20})(?:[/?#]|$)/.exec(trimmed);
  return m?.[1];
}

/** How the WebSocket `signature` is computed. */
export const DouyinSignerSchema = z.discriminatedUnion('type', [
  /** Our own implementation of frontierSign (default). */
  z.strictObject({ type: z.literal('native') }),
  /** An operator-supplied webmssdk file run in node:vm; its byted_acrawler.frontierSign is called. */
  z.strictObject({ type: z.literal('script'), path: z.string().min(1), timeout_ms: Ms.default(2_000) }),
  /** An HTTP signing service: POST {"X-MS-STUB", room_id, user_unique_id} → {"X-Bogus"}. */
  z.strictObject({ type: z.literal('service'), url: z.url(), token: z.string().optional(), timeout_ms: Ms.default(5_000) }),
]);
/** A parsed `signer` section: which implementation signs the push URL. */
export type DouyinSignerConfig = z.infer<typeof DouyinSignerSchema>;

/** Douyin upstream URLs; each can point at a proxy or a local fake. */
export const DouyinUrlsSchema = z.strictObject({
  /** Live page base: `<live_page><web_rid>`; its root also hands out the ttwid cookie. */
  live_page: z.url().default(DOUYIN_DEFAULTS.livePage),
  web_enter: z.url().default(DOUYIN_DEFAULTS.webEnter),
  im_fetch: z.url().default(DOUYIN_DEFAULTS.imFetch),
  gift_list: z.url().default(DOUYIN_DEFAULTS.giftList),
  /** Push WebSocket URL used when im/fetch names no push server (or follow_push_server is off). */
  websocket: z.url({ protocol: /^wss?$/ }).default(DOUYIN_DEFAULTS.websocket),
  /** Use the push host im/fetch returns instead of `websocket`. */
  follow_push_server: z.boolean().default(true),
});

/** `platform: douyin`: a web live room read over the signed push WebSocket. */
export const DouyinSourceSchema = z.strictObject({
  ...SourceBaseShape,
  platform: z.literal('douyin'),
  /** The room's web_rid (the number in live.douyin.com/<web_rid>) or that URL. */
  room: z.string().refine((v) => webRidFrom(v) !== undefined, 'a web_rid (digits) or a https://live.douyin.com/<web_rid> URL'),
  /** A logged-in Douyin cookie; without one Douyin withholds gifts and masks nicknames. */
  cookie: z.string().default(''),
  user_agent: z.string().min(1).default(DOUYIN_DEFAULTS.userAgent),
  signer: DouyinSignerSchema.prefault({ type: 'native' }),
  urls: DouyinUrlsSchema.prefault({}),
  /** webcast SDK version: the same value goes into the URL and the signature input. */
  sdk_version: z.string().min(1).default(DOUYIN_DEFAULTS.sdkVersion),
  /** Bootstrap cursor, internal_ext and push host from im/fetch before connecting. */
  im_fetch: z.boolean().default(true),
  heartbeat_ms: Ms.default(10_000),
  /** No frame for this long → reconnect. */
  stall_ms: Ms.default(30_000),
  reconnect_base_ms: Ms.default(1_000),
  reconnect_max_ms: Ms.default(60_000),
  /** Retry delay after a refusal (risk control, DEVICE_BLOCKED). */
  blocked_retry_ms: Ms.default(300_000),
  /** Status poll while offline or ended (jittered ±20 %); never faster than 15 s. */
  status_poll_ms: z.number().int().min(DOUYIN_DEFAULTS.minStatusPollMs, 'at least 15000 (Douyin bans fast pollers)').default(60_000),
  request_timeout_ms: Ms.default(10_000),
  /** Gift id → display name; wins over the message and the gift list. */
  gift_names: z.record(z.string().regex(/^\d+$/, 'a numeric gift id'), z.string()).default({}),
  /** Reload the gift list this often (0 = only at start, -1 never). */
  gift_list_refresh_ms: z
    .number()
    .int()
    .min(-1)
    .default(6 * 3_600_000),
});
/** A parsed `platform: douyin` source, defaults applied. */
export type DouyinSourceConfig = z.infer<typeof DouyinSourceSchema>;

/** The platform and the room its sources are named after: the web_rid, however it was written. */
export const DOUYIN_NAMING: SourceNaming<DouyinSourceConfig> = {
  platform: 'douyin',
  room: (config) => webRidFrom(config.room) ?? config.room,
};
