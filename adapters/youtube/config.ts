/**
 * `platform: youtube` — a YouTube Live chat read through the official Data API v3 with an API
 * key, spending a daily quota deliberately. Zod only: loading the config never loads the adapter.
 */
import { z } from 'zod';
import { SourceBaseShape } from '../../src/config/sections/source-base.js';
import type { SourceNaming } from '../kit/plugin.js';
import { parseRoom, roomLabel } from './room.js';

/** Upstream defaults; every URL can be overridden (proxies, tests). */
export const YOUTUBE_DEFAULTS = {
  /** The Data API v3 root: `<api_base>/videos`, `/liveChat/messages`, `/search`, `/channels`. */
  apiBase: 'https://www.googleapis.com/youtube/v3',
  /** The site whose `/@handle/live` and `/channel/<id>/live` pages name a channel's live video. */
  webBase: 'https://www.youtube.com',
  /** The unit the default rate table values money in. */
  valueUnit: 'usd_cent',
} as const;

/**
 * Approximate value of one unit of each currency in US cents (late 2026). YouTube pays out in
 * many currencies; set your own table (and unit) when values matter to the host's reactions.
 */
export const DEFAULT_CURRENCY_RATES: Readonly<Record<string, number>> = {
  USD: 100,
  EUR: 110,
  GBP: 130,
  CHF: 115,
  CAD: 72,
  AUD: 65,
  NZD: 59,
  JPY: 0.67,
  KRW: 0.072,
  TWD: 3.1,
  HKD: 12.8,
  SGD: 75,
  MYR: 22,
  THB: 2.9,
  PHP: 1.75,
  IDR: 0.0062,
  VND: 0.004,
  INR: 1.15,
  BRL: 18,
  MXN: 5.4,
  SEK: 9.5,
  NOK: 9.3,
  DKK: 14.7,
  PLN: 25,
  CZK: 4.4,
  HUF: 0.28,
  TRY: 2.5,
  ZAR: 5.6,
  ILS: 27,
  SAR: 26.7,
  AED: 27.2,
};

/** One jewel in US cents: creators earn a ruby (1 cent) per jewel gifted, before promotions. */
export const DEFAULT_JEWEL_VALUE = 1;

const Ms = z.number().int().positive();
const Value = z.number().nonnegative().max(1e12);

/** YouTube upstream URLs; each can point at a proxy or a local fake. */
export const YouTubeUrlsSchema = z.strictObject({
  api_base: z.url().default(YOUTUBE_DEFAULTS.apiBase),
  web_base: z.url().default(YOUTUBE_DEFAULTS.webBase),
});

/**
 * How paid items are valued. Every value is in `unit`; `currency_rates` gives one unit of each
 * ISO currency in it, `jewel` one YouTube jewel (giftEvent prices). The defaults are in US cents,
 * so another unit needs its own rates and jewel value.
 */
export const YouTubeValueSchema = z
  .strictObject({
    /** What gift values mean downstream (a label for operators and logs): `usd_cent` by default. */
    unit: z
      .string()
      .regex(/^[a-z0-9_]{1,32}$/, 'a snake_case name such as usd_cent, jpy, coin')
      .default(YOUTUBE_DEFAULTS.valueUnit),
    /** One unit of each currency (ISO 4217 code) in `unit`; Super Chats in a missing currency are valued 0. */
    currency_rates: z.record(z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as USD'), Value).optional(),
    /** One jewel (the currency of giftEvent gifts) in `unit`; about 1 US cent by default. */
    jewel: Value.optional(),
    /** The value of one gifted membership (YouTube does not say the price). */
    membership: Value.default(0),
  })
  .superRefine((v, ctx) => {
    if (v.unit === YOUTUBE_DEFAULTS.valueUnit) return;
    for (const key of ['currency_rates', 'jewel'] as const)
      if (v[key] === undefined)
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `the default ${key} is in ${YOUTUBE_DEFAULTS.valueUnit}: give ${key} for unit ${v.unit}`,
        });
  })
  .transform((v) => ({ ...v, currency_rates: v.currency_rates ?? { ...DEFAULT_CURRENCY_RATES }, jewel: v.jewel ?? DEFAULT_JEWEL_VALUE }));
/** Parsed valuation settings, the rate table filled in. */
export type YouTubeValueConfig = z.infer<typeof YouTubeValueSchema>;

/** `platform: youtube`: one channel's (or one video's) live chat over the Data API v3. */
export const YouTubeSourceSchema = z.strictObject({
  ...SourceBaseShape,
  platform: z.literal('youtube'),
  /** A video id or watch URL, or a channel: its UC… id, an @handle, or its URL. */
  room: z
    .string()
    .refine(
      (v) => parseRoom(v) !== undefined,
      'a video id or watch URL, or a channel id (UC…), @handle or https://www.youtube.com/@handle URL',
    ),
  /** A Data API v3 key (Google Cloud console → Credentials); a secret. */
  api_key: z.string().min(1),
  urls: YouTubeUrlsSchema.prefault({}),
  /** Units this room may spend per day (Google's default project quota is 10,000, shared by every user of the key). */
  daily_quota_units: z.number().int().min(10).max(100_000_000).default(10_000),
  /** Chat is never polled faster than this, whatever pollingIntervalMillis says. */
  poll_floor_ms: z.number().int().min(500).default(2_000),
  /** How often a channel with no live video is looked at again (stretched when the quota is short). */
  offline_poll_ms: z.number().int().min(10_000).default(60_000),
  /** How often the viewer count is read (videos.list, 1 unit); 0 = never. */
  viewers_interval_ms: z.union([z.literal(0), z.number().int().min(30_000)]).default(120_000),
  /** Messages per chat page (200–2000). */
  max_results: z.number().int().min(200).max(2000).default(500),
  /** When the channel's live page cannot be read, find the live video with search.list (100 units a call). */
  search_fallback: z.boolean().default(true),
  /** For a video room: after its broadcast ends, follow its channel to the next one. */
  follow_channel: z.boolean().default(true),
  request_timeout_ms: Ms.default(10_000),
  /** First delay after a failed call (5xx, network, garbage); doubles up to backoff_max_ms, with jitter. */
  backoff_base_ms: Ms.default(1_000),
  backoff_max_ms: Ms.default(120_000),
  value: YouTubeValueSchema.prefault({}),
});
/** A parsed `platform: youtube` source, defaults applied. */
export type YouTubeSourceConfig = z.infer<typeof YouTubeSourceSchema>;

/**
 * The platform and the room its sources are named after: the video id, channel id or `@handle`,
 * however the room was written (a watch URL and its bare id name the same source).
 */
export const YOUTUBE_NAMING: SourceNaming<YouTubeSourceConfig> = {
  platform: 'youtube',
  room: (config) => {
    const room = parseRoom(config.room);
    return room ? roomLabel(room) : config.room;
  },
};
