/**
 * `platform: kuaishou` — a Kuaishou web live room over the logged-in web socket.
 * Zod only: loading the config never loads the adapter.
 */
import { z } from 'zod';
import { SourceBaseShape } from '../../src/config/sections/source-base.js';

/** Upstream defaults and the floors risk control imposes; every URL can be overridden (proxies, tests). */
export const KUAISHOU_DEFAULTS = {
  userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  livePage: 'https://live.kuaishou.com/u/',
  websocketInfo: 'https://live.kuaishou.com/live_api/liveroom/websocketinfo',
  liveDetail: 'https://live.kuaishou.com/live_api/liveroom/livedetail',
  allGifts: 'https://live.kuaishou.com/live_api/emoji/allgifts',
  giftList: 'https://live.kuaishou.com/live_api/emoji/gift-list',
  caver: '2',
  /** Refusals (too fast, captcha) are never retried sooner than this. */
  minBlockedRetryMs: 300_000,
  /** The offline / ended status poll never runs faster than this. */
  minOfflinePollMs: 30_000,
} as const;

const Ms = z.number().int().positive();
const PRINCIPAL = /^[A-Za-z0-9_-]{1,64}$/;

/** The principalId from a config `room`: the id itself or a live.kuaishou.com/u/<id> URL. */
export function principalIdFrom(room: string): string | undefined {
  const trimmed = room.trim();
  if (PRINCIPAL.test(trimmed)) return trimmed;
  const m = /^(?:https?:\/\/)?live\.kuaishou\.com\/u\/([A-Za-z0-9_-]{1,64})(?:[/?#]|$)/.exec(trimmed);
  return m?.[1];
}

/** How websocketinfo is signed (`__NS_hxfalcon`): not at all (what open clients do today), or by an operator's service. */
export const KuaishouSignerSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('none') }),
  /** POST {"url", "path", "principal_id", "live_stream_id"} → {"__NS_hxfalcon", "caver"?}; the cookie is never sent. */
  z.strictObject({ type: z.literal('service'), url: z.url(), token: z.string().optional(), timeout_ms: Ms.default(5_000) }),
]);
/** A parsed `signer` section. */
export type KuaishouSignerConfig = z.infer<typeof KuaishouSignerSchema>;

/** Kuaishou upstream URLs; each can point at a proxy or a local fake. */
export const KuaishouUrlsSchema = z.strictObject({
  /** Room page base: `<live_page><principalId>`; also the Referer of every API call. */
  live_page: z.url().default(KUAISHOU_DEFAULTS.livePage),
  websocket_info: z.url().default(KUAISHOU_DEFAULTS.websocketInfo),
  live_detail: z.url().default(KUAISHOU_DEFAULTS.liveDetail),
  all_gifts: z.url().default(KUAISHOU_DEFAULTS.allGifts),
  gift_list: z.url().default(KUAISHOU_DEFAULTS.giftList),
  /** Replaces the socket URL the answers list (a proxy or a test server). Empty = use the list. */
  websocket: z.union([z.literal(''), z.url({ protocol: /^wss?$/ })]).default(''),
});

const GiftId = z.string().regex(/^\d{1,12}$/, 'a numeric gift id');

/** `platform: kuaishou`: a web live room read over the logged-in socket. */
export const KuaishouSourceSchema = z.strictObject({
  ...SourceBaseShape,
  platform: z.literal('kuaishou'),
  /** The streamer's principalId (the `<id>` in live.kuaishou.com/u/<id>) or that URL. */
  room: z.string().refine((v) => principalIdFrom(v) !== undefined, 'a principalId or a https://live.kuaishou.com/u/<id> URL'),
  /**
   * The Cookie header of a logged-in live.kuaishou.com session (did, userId, kuaishou.live.web_st,
   * kwfv1 …). `check` fails without one; `kwfv1` becomes the `Kww` header.
   */
  cookie: z.string().default(''),
  user_agent: z.string().min(1).default(KUAISHOU_DEFAULTS.userAgent),
  signer: KuaishouSignerSchema.prefault({ type: 'none' }),
  urls: KuaishouUrlsSchema.prefault({}),
  /** The `caver` query value of websocketinfo (a signing service may replace it). */
  caver: z
    .string()
    .regex(/^\d{1,4}$/)
    .default(KUAISHOU_DEFAULTS.caver),
  /** At least this long between two Kuaishou HTTP calls of this source (risk control counts per IP). */
  api_min_interval_ms: z.number().int().min(0).max(600_000).default(2_000),
  /** Wait after a refusal (result 2 too fast, 400002 captcha); jittered upwards, never below 5 minutes. */
  blocked_retry_ms: z
    .number()
    .int()
    .min(KUAISHOU_DEFAULTS.minBlockedRetryMs, 'at least 300000 (5 minutes: retrying sooner keeps the refusal going)')
    .default(KUAISHOU_DEFAULTS.minBlockedRetryMs),
  /** Status poll while offline or after the broadcast ended (jittered ±20 %); never faster than 30 s. */
  offline_poll_ms: z
    .number()
    .int()
    .min(KUAISHOU_DEFAULTS.minOfflinePollMs, 'at least 30000 (Kuaishou refuses fast pollers)')
    .default(60_000),
  /** Heartbeat until SC_ENTER_ROOM_ACK names the server's interval. */
  heartbeat_ms: Ms.default(20_000),
  /** Nothing received for this long (not even a heartbeat ack) → reconnect. */
  stall_ms: Ms.default(60_000),
  reconnect_base_ms: Ms.default(1_000),
  reconnect_max_ms: Ms.default(60_000),
  request_timeout_ms: Ms.default(10_000),
  /** Gift id → display name; wins over the allgifts list. */
  gift_names: z.record(GiftId, z.string()).default({}),
  /** Gift id → value of one gift (the operator's price table); wins over the room's gift-list unitPrice. */
  gift_values: z.record(GiftId, z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER)).default({}),
  /** Reload allgifts this often (0 = only at start, -1 never). */
  gift_names_refresh_ms: z
    .number()
    .int()
    .min(-1)
    .default(6 * 3_600_000),
  /** Ask the room's gift-list for unitPrice once per broadcast. */
  room_gift_prices: z.boolean().default(true),
});
/** A parsed `platform: kuaishou` source, defaults applied. */
export type KuaishouSourceConfig = z.infer<typeof KuaishouSourceSchema>;
