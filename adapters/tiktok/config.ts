/**
 * `platform: tiktok` — a TikTok LIVE room over the signed push WebSocket. Zod only: loading the
 * config never loads the adapter.
 */
import { z } from 'zod';
import { SourceBaseShape } from '../../src/config/sections/source-base.js';

/** Upstream defaults; every URL can be overridden (proxies, regional hosts, tests). */
export const TIKTOK_DEFAULTS = {
  userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  /** `<page>@<handle>/live` is the live page with the SIGI_STATE JSON. */
  page: 'https://www.tiktok.com/',
  roomApi: 'https://www.tiktok.com/api-live/user/room/',
  roomInfo: 'https://webcast.tiktok.com/webcast/room/info/',
  signer: 'https://tiktok.eulerstream.com',
  signPath: '/webcast/fetch',
  targetIdc: 'useast1a',
  /** ±fraction the lifecycle applies to slow retries and polls. */
  jitter: 0.2,
  /** TLC's waitUntilLive never polls faster than every 30 s; neither do we. */
  minStatusPollMs: 30_000,
} as const;

const Ms = z.number().int().positive();

/** A handle as TikTok allows it: letters, digits, `_` and `.`, at most 24. */
const HANDLE = /^[A-Za-z0-9_.]{1,24}$/;

/** What a config `room` names. */
export type RoomRef = { kind: 'handle'; handle: string } | { kind: 'room_id'; roomId: string };

/**
 * Parses a config `room`: `@handle`, a tiktok.com live URL (`https://www.tiktok.com/@handle/live`),
 * or a numeric room id (a broadcast's id: it changes with every broadcast, so a handle is better).
 */
export function roomRefFrom(room: string): RoomRef | undefined {
  const trimmed = room.trim();
  if (/^\d{1,20}$/.test(trimmed)) return { kind: 'room_id', roomId: trimmed };
  const at = /^@([A-Za-z0-9_.]{1,24})$/.exec(trimmed);
  if (at) return { kind: 'handle', handle: at[1]! };
  const url = /^(?:https?:\/\/)?(?:www\.|m\.)?tiktok\.com\/@([A-Za-z0-9_.]{1,24})(?:\/live)?\/?(?:[?#].*)?$/.exec(trimmed);
  if (url) return { kind: 'handle', handle: url[1]! };
  return HANDLE.test(trimmed) && /[A-Za-z_.]/.test(trimmed) ? { kind: 'handle', handle: trimmed } : undefined;
}

/** The per-minute and per-day caps on sign calls (every connect and reconnect costs one). */
export const SignBudgetSchema = z.strictObject({
  /** Sign calls allowed in any rolling minute. */
  per_minute: z.number().int().min(1).default(4),
  /** Sign calls allowed in any rolling 24 hours (Euler's free Community plan: 2,500 a day). */
  per_day: z.number().int().min(1).default(1_000),
});
/** A parsed sign budget. */
export type SignBudgetConfig = z.infer<typeof SignBudgetSchema>;

const SignPath = z
  .string()
  .regex(/^\/[A-Za-z0-9_\-./{}]*$/, 'a path starting with /, e.g. /webcast/fetch or /webcast/rooms/{room_id}/connect');

/** Who signs the webcast fetch (TikTok's webmssdk tokens): Euler Stream or the operator's own service. */
export const TikTokSignerSchema = z.strictObject({
  /**
   * `euler`: an Euler Stream-compatible sign server (API key in `x-api-key`). `service`: an
   * operator's own signer speaking the same contract (key optional).
   */
  provider: z.enum(['euler', 'service']).default('euler'),
  /** The sign server's base URL (default Euler's). */
  url: z.url().default(TIKTOK_DEFAULTS.signer),
  /** The sign call's path: `/webcast/fetch` (query room_id) or `/webcast/rooms/{room_id}/connect`. */
  path: SignPath.default(TIKTOK_DEFAULTS.signPath),
  /** The sign server's API key, sent as `x-api-key` (a secret; from the environment). */
  api_key: z.string().default(''),
  /**
   * The host trusted with the logged-in `sessionid`: the session is sent to the signer only when
   * this equals the signer URL's host (as TikTok-Live-Connector's whitelist does). Empty: never.
   */
  session_host: z.string().default(''),
  /** `client` query value (the signer's metrics id). */
  client: z.string().min(1).default('metastudio-live-bridge'),
  timeout_ms: Ms.default(15_000),
  budget: SignBudgetSchema.prefault({}),
});
/** A parsed `signer` section. */
export type TikTokSignerConfig = z.infer<typeof TikTokSignerSchema>;

/** TikTok upstream URLs; each can point at a proxy or a local fake. */
export const TikTokUrlsSchema = z.strictObject({
  /** Site root: the live page is `<page>@<handle>/live`. */
  page: z.url().default(TIKTOK_DEFAULTS.page),
  /** `api-live/user/room`: room id and status by handle (the page's fallback). */
  room_api: z.url().default(TIKTOK_DEFAULTS.roomApi),
  /** `webcast/room/info`: a room's status (2 live, 4 ended), unsigned. */
  room_info: z.url().default(TIKTOK_DEFAULTS.roomInfo),
  /** Dial this push server instead of the one the signer names (a proxy); empty: the signer's. */
  websocket: z.union([z.literal(''), z.url({ protocol: /^wss?$/ })]).default(''),
});

/** `platform: tiktok`: a TikTok LIVE room read over the signed push WebSocket. */
export const TikTokSourceSchema = z.strictObject({
  ...SourceBaseShape,
  platform: z.literal('tiktok'),
  /** `@handle`, `https://www.tiktok.com/@handle/live`, or a numeric room id. */
  room: z
    .string()
    .refine((v) => roomRefFrom(v) !== undefined, 'an @handle, a https://www.tiktok.com/@handle/live URL or a numeric room id'),
  /**
   * A logged-in viewer's cookie (at least `sessionid=...`; `tt-target-idc=...` too when the
   * account lives elsewhere). Optional; sent to TikTok, and to the signer only per `session_host`.
   */
  cookie: z.string().default(''),
  /** The same User-Agent goes to the page, the signer (which signs for it) and the socket. */
  user_agent: z.string().min(1).default(TIKTOK_DEFAULTS.userAgent),
  /** The `tt-target-idc` cookie sent with the page and room API calls. */
  target_idc: z.string().min(1).default(TIKTOK_DEFAULTS.targetIdc),
  signer: TikTokSignerSchema.prefault({}),
  urls: TikTokUrlsSchema.prefault({}),
  /** `hb` period; a `ping-interval` in the handshake's Handshake-Options wins. */
  heartbeat_ms: Ms.default(10_000),
  /** No frame for this long → reconnect. */
  stall_ms: Ms.default(45_000),
  reconnect_base_ms: Ms.default(2_000),
  reconnect_max_ms: Ms.default(120_000),
  /** Retry delay after a refusal (captcha, IP block, HTTP 200 + Handshake-Msg, a refused key). */
  blocked_retry_ms: Ms.default(600_000),
  /** Status poll while offline or after a live end (unsigned calls only; jittered ±20 %); at least 30 s. */
  status_poll_ms: z.number().int().min(TIKTOK_DEFAULTS.minStatusPollMs, 'at least 30000').default(60_000),
  request_timeout_ms: Ms.default(10_000),
  /** Gift id → display name; wins over the name in the message. */
  gift_names: z.record(z.string().regex(/^\d+$/, 'a numeric gift id'), z.string()).default({}),
});
/** A parsed `platform: tiktok` source, defaults applied. */
export type TikTokSourceConfig = z.infer<typeof TikTokSourceSchema>;
