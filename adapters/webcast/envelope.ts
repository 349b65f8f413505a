/**
 * The webcast envelope shared by Douyin and TikTok: the PushFrame a WebSocket message carries,
 * the (gzip'd) Response inside a `msg` frame (also the body of im/fetch and of TikTok's signed
 * fetch), and the frames a client sends back (ack, hb). Decoded by hand with adapters/webcast/
 * reader.ts: only the fields a bridge reads, u64 as strings, no Long. The two platforms number a
 * few Response and Message fields differently; {@link ResponseShape} names those.
 */
import { BridgeError } from '../../src/core/errors.js';
import { createInflater, InflateError, type Inflater, type InflaterOptions } from './inflate.js';
import type protobuf from 'protobufjs';
import { internString, Reader, u64ToString, WIRE, WireError } from './reader.js';
import { tagOf, tagsOf } from './tags.js';
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

/**
 * The envelope's wire tags, looked up in the platform's own .proto (adapters/webcast/tags.ts), so
 * no field number is written in code: the two platforms number a few Response and Message fields
 * differently (TikTok's isHistory and isFirst, Douyin's extra push hosts).
 */
export interface EnvelopeSchema {
  frame: { seqId: number; logId: number; headers: number; payloadEncoding: number; payloadType: number; payload: number };
  header: { key: number; value: number };
  response: {
    messages: number;
    cursor: number;
    fetchInterval: number;
    now: number;
    internalExt: number;
    routeParams: number;
    heartbeatDuration: number;
    needAck: number;
    pushServer: number;
    /** -1 when the platform has none. */
    isFirst: number;
    /** Other push-host string fields (Douyin's pushServerV2, proxyServer), in order of preference. */
    pushServerAlternatives: readonly number[];
  };
  /** A map<string, string> entry: key 1, value 2 (fixed by the protobuf encoding of maps). */
  mapEntry: { key: number; value: number };
  message: { method: number; payload: number; msgId: number; msgType: number; /** -1 when the platform has none. */ isHistory: number };
}

/** What the platform's schema names beyond the common envelope. */
export interface EnvelopeOptions {
  /** Message field flagging replayed history (TikTok `isHistory`). */
  isHistory?: string;
  /** Response field flagging the first answer (TikTok `isFirst`). */
  isFirst?: string;
  /** Response string fields with other push hosts, in order of preference (Douyin `pushServerV2`, `proxyServer`). */
  pushServerAlternatives?: readonly string[];
}

/** Looks the envelope's tags up in `root` under `pkg` (`tiktok.PushFrame`, ...); throws on a missing field. */
export function envelopeSchema(root: protobuf.Root, pkg: string, options: EnvelopeOptions = {}): EnvelopeSchema {
  const type = (name: string) => root.lookupType(`${pkg}.${name}`);
  const frame = type('PushFrame');
  const response = type('Response');
  const message = type('Message');
  const header = (frame.fields.headers!.resolve().resolvedType as protobuf.Type | null) ?? type('PushHeader');
  return {
    frame: tagsOf(frame, ['seqId', 'logId', 'headers', 'payloadEncoding', 'payloadType', 'payload']),
    header: tagsOf(header, ['key', 'value']),
    response: {
      ...tagsOf(response, [
        'messages',
        'cursor',
        'fetchInterval',
        'now',
        'internalExt',
        'routeParams',
        'heartbeatDuration',
        'needAck',
        'pushServer',
      ]),
      isFirst: options.isFirst ? tagOf(response, options.isFirst) : -1,
      pushServerAlternatives: (options.pushServerAlternatives ?? []).map((name) => tagOf(response, name)),
    },
    mapEntry: { key: (1 << 3) | WIRE.bytes, value: (2 << 3) | WIRE.bytes },
    message: {
      ...tagsOf(message, ['method', 'payload', 'msgId', 'msgType']),
      isHistory: options.isHistory ? tagOf(message, options.isHistory) : -1,
    },
  };
}

/** How a platform's Responses are read: its envelope tags and its resume headers. */
export interface ResponseShape {
  schema: EnvelopeSchema;
  /** Frame headers whose values win over the body's cursor and internalExt (Douyin's `im-cursor`, `im-internal_ext`). */
  resumeHeaders?: { cursor: string; internalExt: string };
}

const EMPTY_HEADERS: Record<string, string> = {};

function wire(platform: string, reason: WebcastDecodeReason, bytes: Uint8Array, err: unknown): WebcastDecodeError {
  if (err instanceof WireError || err instanceof RangeError) return new WebcastDecodeError(platform, reason, bytes, err);
  throw err;
}

function skipUnread(r: Reader, tag: number): void {
  if (tag >>> 3 === 0) throw new WireError('field number 0');
  r.skip(tag & 7);
}

/** Decodes one binary WebSocket message. Throws WebcastDecodeError(`malformed_frame`). */
export function decodePushFrame(bytes: Uint8Array, schema: EnvelopeSchema, platform: string): PushFrame {
  const r = new Reader(bytes);
  const buf = r.buf;
  const T = schema.frame;
  const H = schema.header;
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
      if (tag === T.seqId) frame.seqId = r.u64String();
      else if (tag === T.logId) frame.logId = r.u64String();
      else if (tag === T.headers) {
        const hEnd = r.bytesEnd();
        let key = '';
        let value = '';
        while (r.pos < hEnd) {
          const t = r.uint32();
          if (t === H.key) key = r.string();
          else if (t === H.value) value = r.string();
          else skipUnread(r, t);
        }
        r.finish(hEnd);
        if (frame.headers === EMPTY_HEADERS) frame.headers = {};
        frame.headers[key] = value;
      } else if (tag === T.payloadEncoding) frame.payloadEncoding = r.string();
      else if (tag === T.payloadType) frame.payloadType = internString(buf, r.skipBytes(), r.pos);
      else if (tag === T.payload) frame.payload = r.bytes();
      else skipUnread(r, tag);
    }
    r.finish(end);
  } catch (err) {
    throw wire(platform, 'malformed_frame', bytes, err);
  }
  return frame;
}

function decodeMessage(r: Reader, end: number, T: EnvelopeSchema['message']): WebcastMessage {
  const m = new WebcastMessage(r.buf);
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === T.method) m.method = internString(r.buf, r.skipBytes(), r.pos);
    else if (tag === T.payload) {
      m.start = r.skipBytes();
      m.end = r.pos;
    } else if (tag === T.msgId) {
      r.varint64();
      m.msgIdLo = r.lo;
      m.msgIdHi = r.hi;
    } else if (tag === T.msgType) m.msgType = r.int32();
    else if (tag === T.isHistory) m.isHistory = r.bool();
    else skipUnread(r, tag);
  }
  r.finish(end);
  return m;
}

function decodeMapEntry(r: Reader, end: number, T: EnvelopeSchema['mapEntry'], into: Record<string, string>): void {
  let key = '';
  let value = '';
  while (r.pos < end) {
    const t = r.uint32();
    if (t === T.key) key = r.string();
    else if (t === T.value) value = r.string();
    else skipUnread(r, t);
  }
  r.finish(end);
  into[key] = value;
}

/** Decodes an (already inflated) Response. Throws WebcastDecodeError(`malformed_response`). */
export function decodeResponseBody(body: Uint8Array, shape: ResponseShape, platform: string): WebcastResponse {
  const r = new Reader(body);
  const T = shape.schema.response;
  const alternatives = T.pushServerAlternatives;
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
      if (tag === T.messages) res.messages.push(decodeMessage(r, r.bytesEnd(), shape.schema.message));
      else if (tag === T.cursor) res.cursor = r.string();
      else if (tag === T.fetchInterval) res.fetchIntervalMs = r.u64Number();
      else if (tag === T.now) res.now = r.u64String();
      else if (tag === T.internalExt) res.internalExt = r.string();
      else if (tag === T.routeParams) decodeMapEntry(r, r.bytesEnd(), shape.schema.mapEntry, res.routeParams);
      else if (tag === T.heartbeatDuration) res.heartbeatDurationS = r.u64Number();
      else if (tag === T.needAck) res.needAck = r.bool();
      else if (tag === T.pushServer) res.pushServer = r.string();
      else if (tag === T.isFirst) res.isFirst = r.bool();
      else if (alternatives.includes(tag)) alt[alternatives.indexOf(tag)] = r.string();
      else skipUnread(r, tag);
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
    return decodePushFrame(bytes, this.#shape.schema, this.platform);
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
