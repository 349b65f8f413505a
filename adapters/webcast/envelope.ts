/**
 * The webcast envelope shared by Douyin and TikTok: the PushFrame a WebSocket message carries,
 * the (gzip'd) Response inside a `msg` frame (also the body of im/fetch and of TikTok's signed
 * fetch), and the frames a client sends back (ack, hb). Decoded by hand with adapters/webcast/
 * reader.ts: only the fields a bridge reads, u64 as strings, no Long. The two platforms number a
 * few Response and Message fields differently; {@link ResponseShape} names those.
 */
import { BridgeError } from '../../src/core/errors.js';
import { createInflater, InflateError, type Inflater, type InflaterOptions } from './inflate.js';
import { internString, Reader, u64ToString, WIRE, WireError } from './reader.js';
import { Writer } from './writer.js';

/** Why webcast input was not decoded; also the `discard` reason a source emits. */
export type WebcastDecodeReason = 'malformed_frame' | 'corrupt_gzip' | 'inflated_too_large' | 'malformed_response' | 'malformed_payload';

/** Input that is not what the protocol says; decoders throw it, sources count it. Never a crash. */
export class WebcastDecodeError extends BridgeError {
  readonly reason: WebcastDecodeReason;
  /** The offending bytes (the discard log keeps a truncated base64 sample). */
  readonly sample: Uint8Array;

  constructor(platform: string, reason: WebcastDecodeReason, sample: Uint8Array, cause?: unknown) {
    super('webcast_decode', `${platform}: ${reason.replaceAll('_', ' ')}`, { cause });
    this.reason = reason;
    this.sample = sample;
  }
}

/** A decoded PushFrame (one binary WebSocket message). */
export interface PushFrame {
  seqId: string;
  /** Echoed in the ack. */
  logId: string;
  /** Frame headers (repeated key/value on the wire; a later duplicate wins). */
  headers: Record<string, string>;
  payloadEncoding: string;
  /** `msg`, `ack`, `hb`, `close`, `im_enter_room_resp`, ... */
  payloadType: string;
  /** A view into the frame's bytes. */
  payload: Buffer;
}

/**
 * One message inside a Response; its payload is decoded later, by `method`, straight from the
 * Response bytes (`body[start, end)`) without a copy or a view per message.
 */
export class WebcastMessage {
  /** e.g. `WebcastChatMessage`. */
  method = '';
  /** The message id's u64 halves; see {@link WebcastMessage.msgId}. */
  msgIdLo = 0;
  msgIdHi = 0;
  msgType = 0;
  /** TikTok replays recent messages on connect with this flag set: they are not new events. */
  isHistory = false;
  /** The bytes the payload lives in (the inflated Response). */
  readonly body: Buffer;
  start = 0;
  end = 0;

  constructor(body: Buffer) {
    this.body = body;
  }

  /** The platform message id (u64 as a decimal string; "0" when absent), made only when asked for. */
  get msgId(): string {
    return u64ToString(this.msgIdLo, this.msgIdHi);
  }

  /** True when the message carries a non-zero id. */
  get hasMsgId(): boolean {
    return this.msgIdLo !== 0 || this.msgIdHi !== 0;
  }

  /** The payload as a view (for samples and digests; handlers read body[start, end) directly). */
  get payload(): Buffer {
    return this.body.subarray(this.start, this.end);
  }
}

/** A decoded Response. */
export interface WebcastResponse {
  messages: WebcastMessage[];
  cursor: string;
  internalExt: string;
  fetchIntervalMs: number;
  /** Server time, ms (u64 as a decimal string). */
  now: string;
  /** Heartbeat interval the server asks for, in seconds (0 = not given). */
  heartbeatDurationS: number;
  needAck: boolean;
  pushServer: string;
  routeParams: Record<string, string>;
  /** TikTok's first answer of a connection. */
  isFirst: boolean;
  /** Other push hosts the platform names (Douyin's proxyServer and pushServerV2), in shape order. */
  pushServerAlternatives: string[];
}

/** Where the two platforms' Response and Message numbering differs. */
export interface ResponseShape {
  /** Message field holding isHistory (TikTok 6; Douyin's 6 is something else). */
  historyField?: number;
  /** Response field holding isFirst (TikTok 11; Douyin's 11 is a string). */
  isFirstField?: number;
  /** Response string fields with alternative push hosts (Douyin 14 pushServerV2, 13 proxyServer). */
  pushServerAlternativeFields?: readonly number[];
  /** Frame headers whose values win over the body's cursor and internalExt (Douyin's `im-cursor`, `im-internal_ext`). */
  resumeHeaders?: { cursor: string; internalExt: string };
}

const EMPTY_HEADERS: Record<string, string> = {};

function wire(platform: string, reason: WebcastDecodeReason, bytes: Uint8Array, err: unknown): WebcastDecodeError {
  if (err instanceof WireError || err instanceof RangeError) return new WebcastDecodeError(platform, reason, bytes, err);
  throw err;
}

/** Decodes one binary WebSocket message. Throws WebcastDecodeError(`malformed_frame`). */
export function decodePushFrame(bytes: Uint8Array, platform: string): PushFrame {
  const r = new Reader(bytes);
  const buf = r.buf;
  const frame: PushFrame = {
    seqId: '0',
    logId: '0',
    headers: EMPTY_HEADERS,
    payloadEncoding: '',
    payloadType: '',
    payload: buf.subarray(0, 0),
  };
  try {
    const end = buf.length;
    while (r.pos < end) {
      const tag = r.uint32();
      switch (tag) {
        case (1 << 3) | WIRE.varint:
          frame.seqId = r.u64String();
          break;
        case (2 << 3) | WIRE.varint:
          frame.logId = r.u64String();
          break;
        case (5 << 3) | WIRE.bytes: {
          const hEnd = r.bytesEnd();
          let key = '';
          let value = '';
          while (r.pos < hEnd) {
            const t = r.uint32();
            if (t === ((1 << 3) | WIRE.bytes)) key = r.string();
            else if (t === ((2 << 3) | WIRE.bytes)) value = r.string();
            else r.skip(t & 7);
          }
          r.finish(hEnd);
          if (frame.headers === EMPTY_HEADERS) frame.headers = {};
          frame.headers[key] = value;
          break;
        }
        case (6 << 3) | WIRE.bytes:
          frame.payloadEncoding = r.string();
          break;
        case (7 << 3) | WIRE.bytes: {
          const tEnd = r.bytesEnd();
          frame.payloadType = internString(buf, r.pos, tEnd);
          r.pos = tEnd;
          break;
        }
        case (8 << 3) | WIRE.bytes:
          frame.payload = r.bytes();
          break;
        default:
          if (tag >>> 3 === 0) throw new WireError('field number 0');
          r.skip(tag & 7);
      }
    }
    r.finish(end);
  } catch (err) {
    throw wire(platform, 'malformed_frame', bytes, err);
  }
  return frame;
}

function decodeMessage(r: Reader, end: number, historyField: number): WebcastMessage {
  const m = new WebcastMessage(r.buf);
  while (r.pos < end) {
    const tag = r.uint32();
    const field = tag >>> 3;
    if (tag === ((1 << 3) | WIRE.bytes)) {
      const start = r.skipBytes();
      m.method = internString(r.buf, start, r.pos);
    } else if (tag === ((2 << 3) | WIRE.bytes)) {
      m.start = r.skipBytes();
      m.end = r.pos;
    } else if (tag === ((3 << 3) | WIRE.varint)) {
      r.varint64();
      m.msgIdLo = r.lo;
      m.msgIdHi = r.hi;
    } else if (tag === ((4 << 3) | WIRE.varint)) m.msgType = r.int32();
    else if (field === historyField && (tag & 7) === WIRE.varint) m.isHistory = r.bool();
    else {
      if (field === 0) throw new WireError('field number 0');
      r.skip(tag & 7);
    }
  }
  r.finish(end);
  return m;
}

function decodeMapEntry(r: Reader, end: number, into: Record<string, string>): void {
  let key = '';
  let value = '';
  while (r.pos < end) {
    const t = r.uint32();
    if (t === ((1 << 3) | WIRE.bytes)) key = r.string();
    else if (t === ((2 << 3) | WIRE.bytes)) value = r.string();
    else r.skip(t & 7);
  }
  r.finish(end);
  into[key] = value;
}

/** Decodes an (already inflated) Response. Throws WebcastDecodeError(`malformed_response`). */
export function decodeResponseBody(body: Uint8Array, shape: ResponseShape, platform: string): WebcastResponse {
  const r = new Reader(body);
  const historyField = shape.historyField ?? -1;
  const isFirstField = shape.isFirstField ?? -1;
  const alternatives = shape.pushServerAlternativeFields ?? [];
  const alt: string[] = alternatives.length ? new Array<string>(alternatives.length).fill('') : [];
  const res: WebcastResponse = {
    messages: [],
    cursor: '',
    internalExt: '',
    fetchIntervalMs: 0,
    now: '0',
    heartbeatDurationS: 0,
    needAck: false,
    pushServer: '',
    routeParams: {},
    isFirst: false,
    pushServerAlternatives: alt,
  };
  try {
    const end = r.buf.length;
    while (r.pos < end) {
      const tag = r.uint32();
      const field = tag >>> 3;
      const type = tag & 7;
      if (field === 1 && type === WIRE.bytes) res.messages.push(decodeMessage(r, r.bytesEnd(), historyField));
      else if (field === 2 && type === WIRE.bytes) res.cursor = r.string();
      else if (field === 3 && type === WIRE.varint) res.fetchIntervalMs = r.u64Number();
      else if (field === 4 && type === WIRE.varint) res.now = r.u64String();
      else if (field === 5 && type === WIRE.bytes) res.internalExt = r.string();
      else if (field === 7 && type === WIRE.bytes) decodeMapEntry(r, r.bytesEnd(), res.routeParams);
      else if (field === 8 && type === WIRE.varint) res.heartbeatDurationS = r.u64Number();
      else if (field === 9 && type === WIRE.varint) res.needAck = r.bool();
      else if (field === 10 && type === WIRE.bytes) res.pushServer = r.string();
      else if (field === isFirstField && type === WIRE.varint) res.isFirst = r.bool();
      else if (type === WIRE.bytes && alternatives.includes(field)) alt[alternatives.indexOf(field)] = r.string();
      else {
        if (field === 0) throw new WireError('field number 0');
        r.skip(type);
      }
    }
    r.finish(end);
  } catch (err) {
    throw wire(platform, 'malformed_response', body, err);
  }
  return res;
}

/** True when `bytes` start with the gzip magic `1f 8b`. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Decodes frames for one connection (or one replay): owns one reusable inflater, so the
 * Response it returns (message payloads included) is valid until its next call.
 */
export class WebcastDecoder {
  readonly platform: string;
  readonly #shape: ResponseShape;
  readonly #inflater: Inflater;

  constructor(platform: string, shape: ResponseShape, inflate: InflaterOptions = {}) {
    this.platform = platform;
    this.#shape = shape;
    this.#inflater = createInflater(inflate);
  }

  /** Decodes one WebSocket message into its PushFrame. */
  frame(bytes: Uint8Array): PushFrame {
    return decodePushFrame(bytes, this.platform);
  }

  /**
   * Decodes a `msg` frame's payload (or an HTTP body): gunzipped when a `compress_type: gzip`
   * header says so or the bytes start with the gzip magic. Throws WebcastDecodeError
   * (`corrupt_gzip`, `inflated_too_large`, `malformed_response`).
   */
  response(payload: Uint8Array, headers: Readonly<Record<string, string>> = EMPTY_HEADERS): WebcastResponse {
    let body: Uint8Array = payload;
    if (isGzip(payload) || headers.compress_type === 'gzip') {
      try {
        body = this.#inflater.gunzip(payload);
      } catch (err) {
        if (err instanceof InflateError) throw new WebcastDecodeError(this.platform, err.reason, payload, err);
        throw err;
      }
    }
    const res = decodeResponseBody(body, this.#shape, this.platform);
    const resume = this.#shape.resumeHeaders;
    if (resume) {
      res.cursor = headers[resume.cursor] || res.cursor;
      res.internalExt = headers[resume.internalExt] || res.internalExt;
    }
    return res;
  }
}

/** An outgoing PushFrame: what the client sends (ack, hb, im_enter_room). */
export interface OutgoingFrame {
  logId?: string;
  seqId?: string;
  payloadType: string;
  payloadEncoding?: string;
  headers?: Readonly<Record<string, string>>;
  payload?: Uint8Array;
}

/** Encodes an outgoing PushFrame (only the fields given). */
export function encodeFrame(f: OutgoingFrame): Buffer {
  const w = new Writer();
  if (f.seqId) w.u64(1, f.seqId);
  if (f.logId) w.u64(2, f.logId);
  for (const [key, value] of Object.entries(f.headers ?? {})) w.message(5, new Writer().string(1, key).string(2, value));
  if (f.payloadEncoding) w.string(6, f.payloadEncoding);
  w.string(7, f.payloadType);
  if (f.payload) w.bytes(8, f.payload);
  return w.finish();
}

/** The ack owed for a `msg` frame whose Response has needAck: its logId, "ack", internalExt as bytes. */
export function encodeAck(logId: string, internalExt: string, payloadEncoding?: string): Buffer {
  return encodeFrame({ logId, payloadType: 'ack', payloadEncoding, payload: Buffer.from(internalExt, 'utf8') });
}
