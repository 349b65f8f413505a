/**
 * The push socket's URL, headers and client frames. The URL is the signer's push server (or a
 * configured override) + the route params it returned + the web client's base params (their
 * browser fields made from the same User-Agent the signer signed for) + room, cursor and
 * internal_ext, with `version_code=270000` appended a second time as the web client does.
 */
import { randomInt } from 'node:crypto';
import { encodeFrame } from '../webcast/envelope.js';
import { Writer } from '../webcast/writer.js';

/** What goes into the socket URL. */
export interface PushUrlParts {
  pushServer: string;
  routeParams: Readonly<Record<string, string>>;
  roomId: string;
  cursor: string;
  internalExt: string;
  userAgent: string;
}

const enc = (v: string) => encodeURIComponent(v);

/**
 * The web client's browser fields, made from the User-Agent (they must match it): shared by the
 * room API query and the socket URL.
 */
export function browserFields(userAgent: string): [string, string][] {
  return [
    ['browser_language', 'en-US'],
    ['browser_name', 'Mozilla'],
    ['browser_online', 'true'],
    ['browser_platform', 'Win32'],
    ['browser_version', userAgent.replace(/^Mozilla\//, '')],
    ['cookie_enabled', 'true'],
  ];
}

/** The base params, in the web client's order; browser fields follow the User-Agent. */
function baseParams(userAgent: string): [string, string][] {
  return [
    ['aid', '1988'],
    ['app_language', 'en-US'],
    ['app_name', 'tiktok_web'],
    ...browserFields(userAgent),
    ['device_platform', 'web'],
    ['did_rule', '3'],
    ['focus_state', 'true'],
    ['from_page', 'user'],
    ['history_len', '4'],
    ['is_fullscreen', 'false'],
    ['is_page_visible', 'true'],
    ['screen_height', '1080'],
    ['screen_width', '1920'],
    ['tz_name', 'Etc/UTC'],
    ['webcast_language', 'en'],
    ['identity', 'audience'],
    ['live_id', '12'],
    ['version_code', '180800'],
    ['resp_content_type', 'protobuf'],
    ['ws_direct', '0'],
    ['heartbeat_duration', '0'],
    ['client_enter', '1'],
    ['history_comment_count', '6'],
    ['sup_ws_ds_opt', '1'],
    ['update_version_code', '2.0.0'],
  ];
}

/** The socket URL (never logged: it carries the signed cursor and internal_ext). */
export function pushUrl(p: PushUrlParts): string {
  const pairs: [string, string][] = [];
  for (const [k, v] of Object.entries(p.routeParams)) if (v !== '') pairs.push([k, v]);
  pairs.push(...baseParams(p.userAgent));
  pairs.push(['room_id', p.roomId], ['cursor', p.cursor], ['internal_ext', p.internalExt], ['compress', 'gzip']);
  const query = pairs.map(([k, v]) => `${enc(k)}=${enc(v)}`).join('&');
  const sep = p.pushServer.includes('?') ? '&' : '?';
  return `${p.pushServer}${sep}${query}&version_code=270000`;
}

/** `Handshake-Options: ping-interval=10; ...` → the ping interval in ms, when given. */
export function pingIntervalMs(handshakeOptions: string | undefined): number | undefined {
  if (!handshakeOptions) return undefined;
  for (const part of handshakeOptions.split(';')) {
    const [k, v] = part.split('=').map((s) => s.trim());
    if (k?.toLowerCase() === 'ping-interval' && v && /^\d+(\.\d+)?$/.test(v)) {
      const seconds = Number(v);
      if (seconds > 0) return Math.round(seconds * 1000);
    }
  }
  return undefined;
}

/** A random positive int64, as a string (the enter request's enterUniqueId). */
export function randomEnterId(): string {
  return String(BigInt(randomInt(1, 2 ** 47)) * 65536n + BigInt(randomInt(0, 65536)));
}

/** The `im_enter_room` frame sent right after the socket opens. */
export function enterRoomFrame(roomId: string, cursor: string, enterUniqueId: string): Buffer {
  const payload = new Writer()
    .u64(1, roomId)
    .u64(4, 12)
    .string(5, 'audience')
    .string(6, cursor)
    .u64(8, enterUniqueId)
    .string(9, '0')
    .finish();
  return encodeFrame({ payloadType: 'im_enter_room', payloadEncoding: 'pb', payload });
}

/** An `hb` frame: HeartBeatMessage{roomId, sendPacketSeqId}. */
export function heartbeatFrame(roomId: string, seq: number): Buffer {
  return encodeFrame({ payloadType: 'hb', payloadEncoding: 'pb', payload: new Writer().u64(1, roomId).u64(2, seq).finish() });
}

/** The ack for a frame whose Response has needAck: its logId and internalExt ("-" when empty). */
export function ackFrame(logId: string, internalExt: string): Buffer {
  return encodeFrame({ logId, payloadType: 'ack', payloadEncoding: 'pb', payload: Buffer.from(internalExt || '-', 'utf8') });
}
