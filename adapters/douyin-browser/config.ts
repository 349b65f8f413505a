/**
 * `platform: douyin-browser` — a Douyin live room read through a real Chromium tab: the page
 * signs, acks and heartbeats by itself; we read its push frames and im/fetch answers.
 * Zod only: loading the config never loads the adapter (nor playwright-core).
 */
import { z } from 'zod';
import { SourceBaseShape } from '../../src/config/sections/source-base.js';
import { webRidFrom } from '../douyin/config.js';
import type { SourceNaming } from '../kit/plugin.js';

/** Defaults; every upstream URL and pattern can be overridden (proxies, tests). */
export const DOUYIN_BROWSER_DEFAULTS = {
  /** `{web_rid}` is replaced by the room's web_rid. */
  roomUrl: 'https://live.douyin.com/{web_rid}',
  /** Substrings of the URLs whose traffic is captured. */
  pushPattern: 'webcast/im/push',
  fetchPattern: 'webcast/im/fetch',
  giftListPattern: 'webcast/gift/list',
  blockResourceTypes: ['image', 'media', 'font'],
  /** The video stream itself (flv/hls): decoding it is most of a tab's CPU. */
  blockUrlPatterns: ['.flv', '.m3u8'],
  stallMs: 60_000,
  blockedRetryMs: 300_000,
  keepaliveMs: 60_000,
  relaunchBaseMs: 2_000,
  relaunchMaxMs: 120_000,
  launchTimeoutMs: 60_000,
  navigationTimeoutMs: 45_000,
  dedupeSize: 4_096,
  viewport: { width: 1024, height: 640 },
} as const;

const Ms = z.number().int().positive();

/** The room page and the URL substrings whose traffic is captured; overridable for proxies and local fakes. */
export const DouyinBrowserUrlsSchema = z.strictObject({
  /** The room page; `{web_rid}` is replaced. Point it at a proxy or a local fake. */
  room_page: z
    .string()
    .refine((s) => s.includes('{web_rid}'), 'must contain {web_rid}')
    .refine((s) => URL.canParse(s.replaceAll('{web_rid}', '1')), 'must be a URL once {web_rid} is filled in')
    .default(DOUYIN_BROWSER_DEFAULTS.roomUrl),
  /** Substring of the push WebSocket URL whose received frames are decoded. */
  push_pattern: z.string().min(1).default(DOUYIN_BROWSER_DEFAULTS.pushPattern),
  /** Substring of the im/fetch polling URL whose answers are decoded. */
  fetch_pattern: z.string().min(1).default(DOUYIN_BROWSER_DEFAULTS.fetchPattern),
  /** Substring of the gift list URL whose JSON fills gift names and values. */
  gift_list_pattern: z.string().min(1).default(DOUYIN_BROWSER_DEFAULTS.giftListPattern),
});

/** `platform: douyin-browser`: one Chromium tab per room, with its own persistent profile. */
export const DouyinBrowserSourceSchema = z.strictObject({
  ...SourceBaseShape,
  platform: z.literal('douyin-browser'),
  /** The room's web_rid (the number in live.douyin.com/<web_rid>) or that URL. */
  room: z.string().min(1),
  /** Chromium or Chrome binary; found on the system when absent. A browser is never downloaded. */
  executable_path: z.string().min(1).optional(),
  /** Persistent profile (keeps the login); default `<state_dir>/browser-profile/<source name>`. */
  profile_dir: z.string().min(1).optional(),
  headless: z.boolean().default(true),
  /** Chromium's sandbox; default: off when running as root (Chromium refuses it there), on otherwise. */
  sandbox: z.boolean().optional(),
  /** Override the browser's User-Agent; by default headless Chromium's "HeadlessChrome" is masked as "Chrome". */
  user_agent: z.string().min(1).optional(),
  urls: DouyinBrowserUrlsSchema.prefault({}),
  /** Requests of these Playwright resource types are aborted (cheaper tab). */
  block_resource_types: z.array(z.string().min(1)).default([...DOUYIN_BROWSER_DEFAULTS.blockResourceTypes]),
  /** Requests whose URL contains one of these substrings are aborted (the video stream). */
  block_url_patterns: z.array(z.string().min(1)).default([...DOUYIN_BROWSER_DEFAULTS.blockUrlPatterns]),
  /** No push frame nor fetch answer for this long → reload the page. */
  stall_ms: Ms.default(DOUYIN_BROWSER_DEFAULTS.stallMs),
  /** After a refused room page (HTTP 403/429, captcha) wait this long before reloading. */
  blocked_retry_ms: Ms.default(DOUYIN_BROWSER_DEFAULTS.blockedRetryMs),
  /** A small synthetic input this often keeps the page's idle check quiet. */
  keepalive_ms: Ms.default(DOUYIN_BROWSER_DEFAULTS.keepaliveMs),
  relaunch_base_ms: Ms.default(DOUYIN_BROWSER_DEFAULTS.relaunchBaseMs),
  relaunch_max_ms: Ms.default(DOUYIN_BROWSER_DEFAULTS.relaunchMaxMs),
  launch_timeout_ms: Ms.default(DOUYIN_BROWSER_DEFAULTS.launchTimeoutMs),
  navigation_timeout_ms: Ms.default(DOUYIN_BROWSER_DEFAULTS.navigationTimeoutMs),
  /** Message ids remembered to drop the same message arriving by push and by fetch. */
  dedupe_size: z.number().int().min(64).max(1_000_000).default(DOUYIN_BROWSER_DEFAULTS.dedupeSize),
  /** Extra Chromium command-line switches (e.g. `--proxy-server=...`). */
  extra_args: z.array(z.string().regex(/^--[a-z0-9-]+(=.*)?$/, 'a --switch or --switch=value')).default([]),
  /** Gift id → display name; wins over the message and the gift list. */
  gift_names: z.record(z.string().regex(/^\d+$/, 'a numeric gift id'), z.string()).default({}),
});
/** A parsed `platform: douyin-browser` source, defaults applied. */
export type DouyinBrowserSourceConfig = z.infer<typeof DouyinBrowserSourceSchema>;

/** The platform and the room its sources are named after: the web_rid, however it was written. */
export const DOUYIN_BROWSER_NAMING: SourceNaming<DouyinBrowserSourceConfig> = {
  platform: 'douyin-browser',
  room: (config) => webRidFrom(config.room) ?? config.room,
};
