/**
 * The danmaku socket's framing, shared by the web and open-platform modes: a 16-byte big-endian
 * header (u32 packet length incl. header, u16 header length, u16 protocol version, u32
 * operation, u32 sequence) and a body. A compressed body (zlib or brotli) inflates to further
 * complete packets laid end to end, which are split again.
 */
import { inflate as inflateCapped, InflateError, INFLATED_TOO_LARGE } from '../kit/inflate.js';
import { brotliInflate } from './brotli.js';

/** Operations the bridge sends or reads. */
export const OP = { heartbeat: 2, heartbeatReply: 3, message: 5, auth: 7, authReply: 8 } as const;

/** Body protocol versions. */
export const PROTOVER = { json: 0, int: 1, zlib: 2, brotli: 3 } as const;

const DEFAULTS = { headerBytes: 16 } as const;

/** One decoded packet. */
export interface Packet {
  op: number;
  ver: number;
  body: Buffer;
}

/** Why part of a frame could not be decoded (becomes a `discard` reason). */
export const PACKET_PROBLEMS = [
  'bad_header',
  'truncated',
  'zlib',
  'brotli',
  INFLATED_TOO_LARGE,
  'nested_compression',
  'unknown_protover',
] as const;
/** One of {@link PACKET_PROBLEMS}. */
export type PacketProblem = (typeof PACKET_PROBLEMS)[number];

/** Builds one packet (sequence 1, as the web client sends). */
export function encodePacket(op: number, body: Buffer | string, ver: number = PROTOVER.int): Buffer {
  const payload = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const header = Buffer.alloc(DEFAULTS.headerBytes);
  header.writeUInt32BE(DEFAULTS.headerBytes + payload.length, 0);
  header.writeUInt16BE(DEFAULTS.headerBytes, 4);
  header.writeUInt16BE(ver, 6);
  header.writeUInt32BE(op, 8);
  header.writeUInt32BE(1, 12);
  return Buffer.concat([header, payload]);
}

/** Where decoded packets and problems go. */
export interface PacketSink {
  packet(p: Packet): void;
  problem(reason: PacketProblem, sample: Uint8Array, error?: unknown): void;
}

/**
 * Inflates a compressed body, never past the kit's cap (MAX_INFLATED_BYTES). Brotli (the web
 * socket's protover 3, every busy frame) goes through one reused decoder: its result is valid
 * until the next inflate, and unpack() reads it whole before returning.
 */
function inflate(ver: number, body: Buffer): Buffer {
  return ver === PROTOVER.zlib ? inflateCapped('zlib', body) : brotliInflate(body);
}

/**
 * Splits `data` into packets. Compressed business packets are inflated and their content split
 * in turn (one level deep: the platform never nests compression). A problem ends the walk of
 * the buffer it was found in, since the following offsets can no longer be trusted.
 */
export function unpack(data: Buffer, sink: PacketSink, nested = false): void {
  let offset = 0;
  while (offset < data.length) {
    const rest = data.subarray(offset);
    if (rest.length < DEFAULTS.headerBytes) {
      sink.problem('truncated', rest);
      return;
    }
    const packLen = rest.readUInt32BE(0);
    const headerLen = rest.readUInt16BE(4);
    const ver = rest.readUInt16BE(6);
    const op = rest.readUInt32BE(8);
    if (headerLen < DEFAULTS.headerBytes || packLen < headerLen) {
      sink.problem('bad_header', rest);
      return;
    }
    if (packLen > rest.length) {
      sink.problem('truncated', rest);
      return;
    }
    const body = rest.subarray(headerLen, packLen);
    if (op === OP.heartbeatReply) {
      // The reply's length covers only the 4-byte count; the client's echoed body follows
      // unframed, so nothing after it in this buffer is a packet.
      sink.packet({ op, ver, body: rest.subarray(headerLen, Math.min(rest.length, headerLen + 4)) });
      return;
    }
    if (op === OP.message && (ver === PROTOVER.zlib || ver === PROTOVER.brotli)) {
      if (nested) {
        sink.problem('nested_compression', rest.subarray(0, packLen));
        return;
      }
      let inflated: Buffer;
      try {
        inflated = inflate(ver, body);
      } catch (err) {
        const tooLarge = err instanceof InflateError && err.tooLarge;
        sink.problem(tooLarge ? INFLATED_TOO_LARGE : ver === PROTOVER.zlib ? 'zlib' : 'brotli', rest.subarray(0, packLen), err);
        offset += packLen;
        continue;
      }
      unpack(inflated, sink, true);
    } else if (op === OP.message && ver !== PROTOVER.json && ver !== PROTOVER.int) {
      sink.problem('unknown_protover', rest.subarray(0, packLen));
    } else {
      sink.packet({ op, ver, body });
    }
    offset += packLen;
  }
}
