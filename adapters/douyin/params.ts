/**
 * Query strings for web/enter, im/fetch and the push WebSocket, in the orders the web client
 * uses (douyin.md §1, §2). Values are percent-encoded with spaces as %20.
 */
import { randomInt } from 'node:crypto';

const DEFAULTS = {
  screenWidth: '1920',
  screenHeight: '1080',
  msTokenLength: 182,
  pushPath: '/webcast/im/push/v2/',
} as const;

const MS_TOKEN_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** A random msToken (no tool obtains a real one; Douyin accepts random 107–184 characters). */
export function randomMsToken(length: number = DEFAULTS.msTokenLength): string {
  let out = '';
  for (let i = 0; i < length; i++) out += MS_TOKEN_ALPHABET[randomInt(MS_TOKEN_ALPHABET.length)];
  return out;
}

/** A random 19-digit decimal id (visitor id when the page gives none), as a string. */
export function randomDigits(count = 19): string {
  let out = String(1 + randomInt(9));
  while (out.length < count) out += String(randomInt(10));
  return out;
}

/** `k=v&...` with RFC 3986 encoding (spaces as %20, as the browser sends them). */
export function queryString(pairs: readonly (readonly [string, string])[]): string {
  return pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
}

/** browser_version: the User-Agent without its `Mozilla/` prefix. */
export function browserVersion(userAgent: string): string {
  return userAgent.replace(/^Mozilla\//, '');
}

function browserPairs(userAgent: string): [string, string][] {
  return [
    ['cookie_enabled', 'true'],
    ['screen_width', DEFAULTS.screenWidth],
    ['screen_height', DEFAULTS.screenHeight],
    ['browser_language', 'zh-CN'],
    ['browser_platform', 'Win32'],
    ['browser_name', 'Mozilla'],
    ['browser_version', browserVersion(userAgent)],
  ];
}

/** The web/enter status query. */
export function webEnterQuery(p: { webRid: string; roomId: string; userAgent: string; msToken: string }): string {
  return queryString([
    ['aid', '6383'],
    ['app_name', 'douyin_web'],
    ['live_id', '1'],
    ['device_platform', 'web'],
    ['language', 'zh-CN'],
    ['enter_from', 'page_refresh'],
    ...browserPairs(p.userAgent),
    ['web_rid', p.webRid],
    ['room_id_str', p.roomId],
    ['enter_source', ''],
    ['is_need_double_stream', 'false'],
    ['insert_task_id', ''],
    ['live_reason', ''],
    ['msToken', p.msToken],
  ]);
}

/** The im/fetch bootstrap query (protobuf answer). */
export function imFetchQuery(p: { roomId: string; userUniqueId: string; userAgent: string; msToken: string }): string {
  return queryString([
    ['resp_content_type', 'protobuf'],
    ['did_rule', '3'],
    ['device_id', ''],
    ['app_name', 'douyin_web'],
    ['endpoint', 'live_pc'],
    ['support_wrds', '1'],
    ['user_unique_id', p.userUniqueId],
    ['identity', 'audience'],
    ['need_persist_msg_count', '15'],
    ['insert_task_id', ''],
    ['live_reason', ''],
    ['room_id', p.roomId],
    ['version_code', '180800'],
    ['last_rtt', '0'],
    ['live_id', '1'],
    ['aid', '6383'],
    ['fetch_rule', '1'],
    ['cursor', ''],
    ['internal_ext', ''],
    ['device_platform', 'web'],
    ...browserPairs(p.userAgent),
    ['browser_online', 'true'],
    ['tz_name', 'Asia/Shanghai'],
    ['msToken', p.msToken],
  ]);
}

/** Everything that goes into one push URL. */
export interface PushParams {
  base: string;
  roomId: string;
  userUniqueId: string;
  userAgent: string;
  sdkVersion: string;
  cursor: string;
  internalExt: string;
  signature: string;
}

/** The push WebSocket URL with the full parameter set, in the web client's order. */
export function pushUrl(p: PushParams): string {
  const query = queryString([
    ['app_name', 'douyin_web'],
    ['version_code', '180800'],
    ['webcast_sdk_version', p.sdkVersion],
    ['update_version_code', p.sdkVersion],
    ['compress', 'gzip'],
    ['device_platform', 'web'],
    ...browserPairs(p.userAgent),
    ['browser_online', 'true'],
    ['tz_name', 'Asia/Shanghai'],
    ['cursor', p.cursor],
    ['internal_ext', p.internalExt],
    ['host', 'https://live.douyin.com'],
    ['aid', '6383'],
    ['live_id', '1'],
    ['did_rule', '3'],
    ['endpoint', 'live_pc'],
    ['support_wrds', '1'],
    ['user_unique_id', p.userUniqueId],
    ['im_path', '/webcast/im/fetch/'],
    ['identity', 'audience'],
    ['need_persist_msg_count', '15'],
    ['insert_task_id', ''],
    ['live_reason', ''],
    ['room_id', p.roomId],
    ['heartbeatDuration', '0'],
    ['signature', p.signature],
  ]);
  return `${p.base}${p.base.includes('?') ? '&' : '?'}${query}`;
}

/**
 * A push host from im/fetch (`push_server_v2`, `push_server`, `proxy_server`) as a ws(s) URL with
 * the push path; undefined when none is usable.
 */
export function normalisePushServer(candidates: readonly string[]): string | undefined {
  for (const raw of candidates) {
    const value = raw.trim();
    if (!value) continue;
    const withScheme = /^[a-z]+:\/\//i.test(value) ? value : `wss://${value}`;
    let url: URL;
    try {
      url = new URL(withScheme.replace(/^https:/i, 'wss:').replace(/^http:/i, 'ws:'));
    } catch {
      continue;
    }
    if (url.protocol !== 'wss:' && url.protocol !== 'ws:') continue;
    if (url.pathname === '/' || url.pathname === '') url.pathname = DEFAULTS.pushPath;
    url.search = '';
    return url.toString();
  }
  return undefined;
}

/** Synthetic resume state for when im/fetch is off or fails (the shapes the web client uses). */
export function syntheticResume(roomId: string, userUniqueId: string, nowMs: number): { cursor: string; internalExt: string } {
  return {
    cursor: `d-1_u-1_fh-${randomDigits(19)}_t-${nowMs}_r-1`,
    internalExt: `internal_src:dim|wss_push_room_id:${roomId}|wss_push_did:${userUniqueId}|first_req_ms:${nowMs}|fetch_time:${nowMs}|seq:1|wss_info:0-${nowMs}-0-0|wrds_v:${randomDigits(19)}`,
  };
}
