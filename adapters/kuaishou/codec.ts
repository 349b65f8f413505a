/**
 * The Kuaishou socket codec: one SocketMessage per binary frame (no length prefix), its payload
 * stored plain or gzip'd (inflated with an output cap), the frames the client sends, and typed
 * payload decoding. AES payloads and unknown compressions cannot be read by anyone outside the
 * app: they are refused with a reason the source counts.
 */
import { gunzipSync } from 'node:zlib';
import Long from 'long';
import { BridgeError } from '../../src/core/errors.js';
import { COMPRESSION, PAYLOAD, kuaishouType } from './proto.js';

/** Why input could not be read; also the `discard` reason the source counts. */
export const KUAISHOU_DISCARD_REASONS = [
  'malformed_frame',
  'corrupt_gzip',
  'inflated_too_large',
  'aes_payload',
  'unknown_compression',
  'unknown_payload_type',
  'malformed_payload',
  'malformed_feed',
] as const;
/** One of {@link KUAISHOU_DISCARD_REASONS}. */
export type KuaishouDiscardReason = (typeof KUAISHOU_DISCARD_REASONS)[number];

/** Input that is not what the protocol says; never a crash. */
export class KuaishouDecodeError extends BridgeError {
  readonly reason: KuaishouDiscardReason;
  /** The offending bytes (the caller logs a truncated sample). */
  readonly sample: Uint8Array;

  constructor(reason: KuaishouDiscardReason, sample: Uint8Array, cause?: unknown) {
    super('kuaishou_decode', `kuaishou: ${reason.replaceAll('_', ' ')}`, { cause });
    this.reason = reason;
    this.sample = sample;
  }
}

/** A decoded SocketMessage. */
export interface SocketFrame {
  /** PayloadType as a number (unknown types keep theirs). */
  payloadType: number;
  compression: number;
  payload: Uint8Array;
}

/** The largest inflated payload accepted: feeds are kilobytes; a hostile gzip could be gigabytes. */
export const MAX_PAYLOAD_BYTES = 4 * 1024 * 1024;

const Types = {
  socket: kuaishouType('SocketMessage'),
  enterRoom: kuaishouType('CSWebEnterRoom'),
  heartbeat: kuaishouType('CSWebHeartbeat'),
  userExit: kuaishouType('CSWebUserExit'),
};

/** A u64 / u32 as it comes out of protobufjs. */
export type U64 = Long | number | string;

/** A time or count as a number, clamped to [0, MAX_SAFE_INTEGER]. */
export function u64Number(value: U64 | null | undefined): number {
  if (value === null || value === undefined) return 0;
  const long = Long.isLong(value) ? value : Long.fromValue(value, true);
  if (long.isNegative()) return 0;
  if (long.greaterThan(Number.MAX_SAFE_INTEGER)) return Number.MAX_SAFE_INTEGER;
  return long.toNumber();
}

/** Decodes one binary frame's SocketMessage; throws KuaishouDecodeError(`malformed_frame`). */
export function decodeSocketMessage(bytes: Uint8Array): SocketFrame {
  let m: { payloadType?: number; compressionType?: number; payload?: Uint8Array };
  try {
    m = Types.socket.decode(bytes) as typeof m;
  } catch (err) {
    throw new KuaishouDecodeError('malformed_frame', bytes, err);
  }
  return { payloadType: m.payloadType ?? 0, compression: m.compressionType ?? 0, payload: m.payload ?? new Uint8Array(0) };
}

/** The payload's plain bytes: NONE (or absent) as is, GZIP inflated up to `maxBytes`; AES and unknown refused. */
export function openPayload(frame: SocketFrame, maxBytes: number = MAX_PAYLOAD_BYTES): Uint8Array {
  switch (frame.compression) {
    case COMPRESSION.unknown:
    case COMPRESSION.none:
      return frame.payload;
    case COMPRESSION.gzip:
      try {
        return gunzipSync(frame.payload, { maxOutputLength: maxBytes });
      } catch (err) {
        const tooLarge = (err as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE';
        throw new KuaishouDecodeError(tooLarge ? 'inflated_too_large' : 'corrupt_gzip', frame.payload, err);
      }
    case COMPRESSION.aes:
      throw new KuaishouDecodeError('aes_payload', frame.payload);
    default:
      throw new KuaishouDecodeError('unknown_compression', frame.payload);
  }
}

/** Decodes a payload as `type` (a message of proto/kuaishou.proto); throws `malformed_payload`. */
export function decodePayload<T>(type: string, payload: Uint8Array): T {
  try {
    return kuaishouType(type).decode(payload) as unknown as T;
  } catch (err) {
    throw new KuaishouDecodeError('malformed_payload', payload, err);
  }
}

function socketMessage(payloadType: number, payload: Uint8Array): Uint8Array {
  return Types.socket.encode({ payloadType, compressionType: COMPRESSION.none, payload }).finish();
}

/** What CS_ENTER_ROOM carries. */
export interface EnterRoom {
  token: string;
  liveStreamId: string;
  /** Sessions opened before this one for the same broadcast. */
  reconnectCount: number;
  pageId: string;
}

/** The CS_ENTER_ROOM frame sent once the socket is open. */
export function encodeEnterRoom(e: EnterRoom): Uint8Array {
  const body = Types.enterRoom.encode({ token: e.token, liveStreamId: e.liveStreamId, reconnectCount: e.reconnectCount, pageId: e.pageId });
  return socketMessage(PAYLOAD.csEnterRoom, body.finish());
}

/** A CS_HEARTBEAT frame stamped `nowMs`. */
export function encodeHeartbeat(nowMs: number): Uint8Array {
  return socketMessage(PAYLOAD.csHeartbeat, Types.heartbeat.encode({ timestamp: Long.fromNumber(nowMs, true) }).finish());
}

/** The CS_USER_EXIT frame sent when we leave. */
export function encodeUserExit(nowMs: number): Uint8Array {
  return socketMessage(PAYLOAD.csUserExit, Types.userExit.encode({ time: Long.fromNumber(nowMs, true) }).finish());
}

const PAGE_ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_';

/** A web client's pageId: 16 random characters and the ms timestamp (the server does not check it). */
export function makePageId(random: () => number, nowMs: number): string {
  let id = '';
  for (let i = 0; i < 16; i += 1) id += PAGE_ID_CHARS[Math.floor(random() * PAGE_ID_CHARS.length) % PAGE_ID_CHARS.length];
  return `${id}${nowMs}`;
}
