/**
 * The Douyin push codec: PushFrame envelope, gzip'd Response, per-method payloads, and the
 * frames the client sends (ack, heartbeat). Stable API, shared with the douyin-browser source.
 *
 * Every 64-bit id comes out as a decimal string; counts come out as numbers clamped to
 * Number.MAX_SAFE_INTEGER.
 */
import Long from 'long';
import { BridgeError } from '../../src/core/errors.js';
import { inflate, InflateError, INFLATED_TOO_LARGE } from '../kit/inflate.js';
import { douyinType } from './proto.js';
import type { RawPushFrame, RawResponse, U64 } from './raw.js';

/** Why a frame could not be decoded; also the `discard` reason the source emits. */
export const DOUYIN_DISCARD_REASONS = [
  'malformed_frame',
  'corrupt_gzip',
  INFLATED_TOO_LARGE,
  'malformed_response',
  'malformed_payload',
  'text_frame',
] as const;
/** One of {@link DOUYIN_DISCARD_REASONS} but `text_frame` (a session's, not a decoder's). */
export type DouyinDecodeReason = Exclude<(typeof DOUYIN_DISCARD_REASONS)[number], 'text_frame'>;

/** Raised by the decoders for input that is not what the protocol says; never a crash. */
export class DouyinDecodeError extends BridgeError {
  declare readonly code: 'douyin_decode';
  readonly reason: DouyinDecodeReason;
  /** The offending bytes (the caller logs a truncated base64 sample). */
  readonly sample: Uint8Array;

  constructor(reason: DouyinDecodeReason, sample: Uint8Array, cause?: unknown) {
    super('douyin_decode', `douyin: ${reason.replaceAll('_', ' ')}`, { cause });
    this.reason = reason;
    this.sample = sample;
  }
}

/** A decoded PushFrame (one binary WebSocket message). */
export interface PushFrame {
  seqId: string;
  logId: string;
  service: string;
  method: string;
  /** Frame headers (repeated key/value on the wire; a later duplicate wins). */
  headers: Record<string, string>;
  payloadEncoding: string;
  /** `msg`, `ack`, `hb` or `close`. */
  payloadType: string;
  payload: Uint8Array;
}

/** One message inside a Response: its payload is decoded lazily, by `method`. */
export interface DouyinMessage {
  /** e.g. `WebcastChatMessage`. */
  method: string;
  payload: Uint8Array;
  /** The platform message id (u64 as a decimal string; "0" when absent). */
  msgId: string;
  msgType: number;
}

/** A decoded Response (the payload of a `msg` frame, or an im/fetch body). */
export interface DouyinResponse {
  messages: DouyinMessage[];
  /** Resume cursor (the `im-cursor` frame header wins over the body field). */
  cursor: string;
  /** Resume state (the `im-internal_ext` frame header wins over the body field); also the ack payload. */
  internalExt: string;
  fetchIntervalMs: number;
  /** Server time, ms (u64 as a decimal string). */
  now: string;
  /** Heartbeat interval the server asks for, in seconds (0 = not given). */
  heartbeatDurationS: number;
  needAck: boolean;
  pushServer: string;
  pushServerV2: string;
  proxyServer: string;
  routeParams: Record<string, string>;
}

const GZIP_MAGIC_0 = 0x1f;
const GZIP_MAGIC_1 = 0x8b;
const TWO_POW_32 = 4294967296;
const SAFE_HIGH_LIMIT = 0x200000; // 2^53 / 2^32: below it, hi·2^32 + lo is exact

const PushFrameType = douyinType('PushFrame');
const ResponseType = douyinType('Response');

/** The heartbeat frame: a PushFrame whose only field is payloadType "hb" (`3a 02 68 62`). */
export const HEARTBEAT_FRAME: Uint8Array = Uint8Array.of(0x3a, 0x02, 0x68, 0x62);

/** Seven decimal digits, zero-padded. */
function pad7(n: number): string {
  const s = String(n);
  return s.length >= 7 ? s : '0000000'.slice(s.length) + s;
}

/**
 * A u64 as a decimal string, exact for the whole unsigned range. Above 2^53 the value is split
 * into 24/24/16-bit limbs and recombined in base 10^7 (2^24 = 1·10^7 + 6777216,
 * 2^48 = 28147497·10^7 + 6710656), which avoids BigInt on the hot path.
 */
export function u64String(value: U64 | null | undefined): string {
  if (value == null) return '0';
  if (typeof value === 'number') return Number.isSafeInteger(value) ? String(value) : BigInt(Math.trunc(value)).toString();
  const hi = value.high >>> 0;
  const lo = value.low >>> 0;
  if (hi < SAFE_HIGH_LIMIT) return String(hi * TWO_POW_32 + lo);
  const low = lo & 0xffffff;
  const mid = ((lo >>> 24) | (hi << 8)) & 0xffffff;
  const high = hi >>> 16;
  let a = low + mid * 6777216 + high * 6710656;
  let b = mid + high * 8147497;
  let c = high * 2;
  b += Math.floor(a / 1e7);
  a %= 1e7;
  c += Math.floor(b / 1e7);
  b %= 1e7;
  return String(c) + pad7(b) + pad7(a);
}

/** A u64 count as a number, clamped to Number.MAX_SAFE_INTEGER (counts, not ids). */
export function u64Number(value: U64 | null | undefined): number {
  if (value == null) return 0;
  if (typeof value === 'number') return value;
  const hi = value.high >>> 0;
  if (hi >= SAFE_HIGH_LIMIT) return Number.MAX_SAFE_INTEGER;
  return hi * TWO_POW_32 + (value.low >>> 0);
}

/** True when `bytes` start with the gzip magic `1f 8b`. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === GZIP_MAGIC_0 && bytes[1] === GZIP_MAGIC_1;
}

/** Decodes one binary WebSocket message into a PushFrame; throws DouyinDecodeError(`malformed_frame`). */
export function decodePushFrame(bytes: Uint8Array): PushFrame {
  let raw: RawPushFrame;
  try {
    raw = PushFrameType.decode(bytes) as unknown as RawPushFrame;
  } catch (err) {
    throw new DouyinDecodeError('malformed_frame', bytes, err);
  }
  return pushFrameFromRaw(raw);
}

/** The PushFrame of a decoded raw one (the only place its fields are read). */
export function pushFrameFromRaw(raw: RawPushFrame): PushFrame {
  const headers: Record<string, string> = {};
  for (const h of raw.headers) headers[h.key] = h.value;
  return {
    seqId: u64String(raw.seqId),
    logId: u64String(raw.logId),
    service: u64String(raw.service),
    method: u64String(raw.method),
    headers,
    payloadEncoding: raw.payloadEncoding,
    payloadType: raw.payloadType,
    payload: raw.payload,
  };
}

/**
 * Decodes a Response payload: gunzips when it starts with the gzip magic bytes (whatever the
 * headers claim), never past MAX_INFLATED_BYTES, then decodes; frame headers `im-cursor` /
 * `im-internal_ext` override the body's resume state. Throws DouyinDecodeError (`corrupt_gzip`,
 * `inflated_too_large` or `malformed_response`).
 */
export function decodeResponse(payload: Uint8Array, headers: Readonly<Record<string, string>> = {}): DouyinResponse {
  let body = payload;
  if (isGzip(payload)) {
    try {
      body = inflate('gzip', payload);
    } catch (err) {
      throw new DouyinDecodeError(err instanceof InflateError && err.tooLarge ? INFLATED_TOO_LARGE : 'corrupt_gzip', payload, err);
    }
  }
  let raw: RawResponse;
  try {
    raw = ResponseType.decode(body) as unknown as RawResponse;
  } catch (err) {
    throw new DouyinDecodeError('malformed_response', body, err);
  }
  return responseFromRaw(raw, headers);
}

/** The Response of a decoded raw one (the only place its fields are read); frame headers win. */
export function responseFromRaw(raw: RawResponse, headers: Readonly<Record<string, string>> = {}): DouyinResponse {
  const messages: DouyinMessage[] = new Array(raw.messages.length);
  for (let i = 0; i < raw.messages.length; i++) {
    const m = raw.messages[i]!;
    messages[i] = { method: m.method, payload: m.payload, msgId: u64String(m.msgId), msgType: m.msgType };
  }
  return {
    messages,
    cursor: headers['im-cursor'] || raw.cursor,
    internalExt: headers['im-internal_ext'] || raw.internalExt,
    fetchIntervalMs: u64Number(raw.fetchInterval),
    now: u64String(raw.now),
    heartbeatDurationS: u64Number(raw.heartbeatDuration),
    needAck: raw.needAck,
    pushServer: raw.pushServer,
    pushServerV2: raw.pushServerV2,
    proxyServer: raw.proxyServer,
    routeParams: { ...raw.routeParams },
  };
}

/** Decodes a PushFrame and, for `msg` frames, its Response; the one-call path for captured frames. */
export function decodeFrame(bytes: Uint8Array): { frame: PushFrame; response: DouyinResponse | null } {
  const frame = decodePushFrame(bytes);
  const response = frame.payloadType === 'msg' ? decodeResponse(frame.payload, frame.headers) : null;
  return { frame, response };
}

/** The ack the client owes for a frame whose Response has needAck: logId, "ack", internalExt bytes. */
export function encodeAck(logId: string, internalExt: string): Uint8Array {
  return PushFrameType.encode({
    logId: Long.fromString(logId, true),
    payloadType: 'ack',
    payload: Buffer.from(internalExt, 'utf8'),
  }).finish();
}
