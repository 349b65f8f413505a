/**
 * A protobuf wire reader for the webcast hot path: varints read as two 32-bit halves (no Long, no
 * BigInt), u64 ids turned into exact decimal strings, strings decoded straight from the buffer,
 * and every field the caller does not ask for skipped by its wire type. Reading past the end,
 * an unknown wire type or an over-long varint throws {@link WireError}; the decoders turn that
 * into a counted discard.
 */

/** The bytes are not valid protobuf (truncated, bad wire type, over-long varint). */
export class WireError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WireError';
  }
}

const TWO_POW_32 = 4294967296;
/** 2^53 / 2^32: below it, hi·2^32 + lo is exact. */
const SAFE_HIGH_LIMIT = 0x200000;

const ZEROS = '00000000000000';

/**
 * The u64 `hi·2^32 + lo` as a decimal string, exact over the whole unsigned range. Above 2^53 the
 * value is split into 24/24/16-bit limbs and recombined in base 10^7 (2^24 = 1·10^7 + 6777216,
 * 2^48 = 28147497·10^7 + 6710656); the low 14 digits fit one double, so two number-to-string
 * conversions make the result and BigInt stays off the hot path.
 */
export function u64ToString(lo: number, hi: number): string {
  lo >>>= 0;
  hi >>>= 0;
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
  // c ≥ 1 here (the value is at least 2^53), so the low part is always padded to 14 digits.
  const rest = String(b * 1e7 + a);
  return String(c) + ZEROS.slice(rest.length) + rest;
}

/** The u64 `hi·2^32 + lo` as a number, clamped to Number.MAX_SAFE_INTEGER (counts, never ids). */
export function u64ToNumber(lo: number, hi: number): number {
  hi >>>= 0;
  return hi >= SAFE_HIGH_LIMIT ? Number.MAX_SAFE_INTEGER : hi * TWO_POW_32 + (lo >>> 0);
}

/** Protobuf wire types. */
export const WIRE = { varint: 0, fixed64: 1, bytes: 2, startGroup: 3, endGroup: 4, fixed32: 5 } as const;

/** A field's tag as it appears on the wire (field number and wire type), to compare read tags against. */
export function tag(field: number, wireType: number): number {
  return (field << 3) | wireType;
}

/**
 * A cursor over one buffer. Sub-messages are read in place: {@link Reader.bytesEnd} gives the end
 * of a length-delimited field and the caller loops `while (r.pos < end)`.
 */
export class Reader {
  buf: Buffer;
  pos: number;
  /** The halves of the last {@link Reader.varint64}. */
  lo = 0;
  hi = 0;

  constructor(buf: Uint8Array, pos = 0) {
    this.buf = Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
    this.pos = pos;
  }

  /** A varint truncated to its low 32 bits, unsigned (tags, lengths, enums, small counts). */
  uint32(): number {
    const buf = this.buf;
    let pos = this.pos;
    let b = buf[pos++]!;
    let value = b & 0x7f;
    if (b >= 0x80) {
      b = buf[pos++]!;
      value |= (b & 0x7f) << 7;
      if (b >= 0x80) {
        b = buf[pos++]!;
        value |= (b & 0x7f) << 14;
        if (b >= 0x80) {
          b = buf[pos++]!;
          value |= (b & 0x7f) << 21;
          if (b >= 0x80) {
            b = buf[pos++]!;
            value |= b << 28;
            // Bits above 32 (a negative int32 or a large u64): skip up to five more bytes.
            for (let i = 0; b >= 0x80; i++) {
              if (i === 5) throw new WireError('varint longer than 10 bytes');
              b = buf[pos++]!;
            }
          }
        }
      }
    }
    if (pos > buf.length) throw new WireError('truncated varint');
    this.pos = pos;
    return value >>> 0;
  }

  /** A full 64-bit varint into {@link Reader.lo} / {@link Reader.hi}. */
  varint64(): void {
    const buf = this.buf;
    let pos = this.pos;
    let lo = 0;
    let hi = 0;
    let b: number;
    let shift = 0;
    do {
      b = buf[pos++]!;
      if (shift < 28) lo |= (b & 0x7f) << shift;
      else if (shift === 28) {
        lo |= (b & 0x0f) << 28;
        hi |= (b & 0x7f) >>> 4;
      } else {
        if (shift > 63) throw new WireError('varint longer than 10 bytes');
        hi |= (b & 0x7f) << (shift - 32);
      }
      shift += 7;
    } while (b >= 0x80);
    if (pos > buf.length) throw new WireError('truncated varint');
    this.pos = pos;
    this.lo = lo >>> 0;
    this.hi = hi >>> 0;
  }

  /** Skips a length-delimited field, returning where its bytes start (they end at `this.pos`). */
  skipBytes(): number {
    const end = this.bytesEnd();
    const start = this.pos;
    this.pos = end;
    return start;
  }

  /** A u64 field as an exact decimal string. */
  u64String(): string {
    this.varint64();
    return u64ToString(this.lo, this.hi);
  }

  /** A u64 (or int64) count as a number, clamped to Number.MAX_SAFE_INTEGER. */
  u64Number(): number {
    this.varint64();
    return u64ToNumber(this.lo, this.hi);
  }

  /** An int32 field (a negative value comes back negative). */
  int32(): number {
    return this.uint32() | 0;
  }

  bool(): boolean {
    this.varint64();
    return this.lo !== 0 || this.hi !== 0;
  }

  /** Reads a length prefix and returns where the field's bytes end (checked against the buffer). */
  bytesEnd(): number {
    const len = this.uint32();
    const end = this.pos + len;
    if (end > this.buf.length) throw new WireError('length-delimited field runs past the end');
    return end;
  }

  /** A length-delimited field as a view (no copy) of the underlying buffer. */
  bytes(): Buffer {
    const end = this.bytesEnd();
    const out = this.buf.subarray(this.pos, end);
    this.pos = end;
    return out;
  }

  /** A string field, UTF-8 decoded. */
  string(): string {
    const end = this.bytesEnd();
    const start = this.pos;
    this.pos = end;
    return decodeUtf8(this.buf, start, end);
  }

  /** Checks that a sub-message's fields ended exactly at its declared end (none ran over it). */
  finish(end: number): void {
    if (this.pos !== end) throw new WireError('a field runs past the end of its message');
  }

  /** Skips one field of `wireType` (the tag already read). */
  skip(wireType: number): void {
    switch (wireType) {
      case WIRE.varint:
        this.varint64();
        return;
      case WIRE.fixed64:
        this.#advance(8);
        return;
      case WIRE.bytes:
        this.pos = this.bytesEnd();
        return;
      case WIRE.fixed32:
        this.#advance(4);
        return;
      case WIRE.startGroup:
        for (;;) {
          const tag = this.uint32();
          if ((tag & 7) === WIRE.endGroup) return;
          this.skip(tag & 7);
        }
      default:
        throw new WireError(`wire type ${wireType} at ${this.pos}`);
    }
  }

  #advance(n: number): void {
    if (this.pos + n > this.buf.length) throw new WireError('fixed-width field runs past the end');
    this.pos += n;
  }
}

interface NativeSlices {
  utf8Slice?(start: number, end: number): string;
}

/** Buffer's own utf8Slice skips toString's argument checks (≈30 % faster on short strings); checked once. */
const HAS_UTF8_SLICE = typeof (Buffer.prototype as NativeSlices).utf8Slice === 'function';

/** UTF-8 of buf[start, end), malformed sequences replaced (U+FFFD) as Buffer.toString does. */
export function decodeUtf8(buf: Buffer, start: number, end: number): string {
  return HAS_UTF8_SLICE ? (buf as NativeSlices).utf8Slice!(start, end) : buf.toString('utf8', start, end);
}

const INTERN_LIMIT = 1024;
const INTERN_MAX_BYTES = 64;
const interned = new Map<number, { bytes: Buffer; text: string }>();

/**
 * buf[start, end) as a string, served from a table of short strings seen before (method names,
 * payload types, gift and fan-club names: a few dozen distinct values seen over and over), so
 * the hot path hashes and compares bytes instead of decoding. Unseen or long text is decoded; the
 * table stops growing at 1024 entries, so hostile input cannot grow it.
 */
export function internString(buf: Buffer, start: number, end: number): string {
  const len = end - start;
  if (len > INTERN_MAX_BYTES) return decodeUtf8(buf, start, end);
  let h = 0x811c9dc5 ^ len;
  for (let i = start; i < end; i++) h = Math.imul(h ^ buf[i]!, 0x01000193);
  const hit = interned.get(h);
  if (hit !== undefined && hit.bytes.length === len) {
    const bytes = hit.bytes;
    let same = true;
    for (let i = 0; i < len && same; i++) same = bytes[i] === buf[start + i];
    if (same) return hit.text;
  }
  const text = decodeUtf8(buf, start, end);
  if (hit === undefined && interned.size < INTERN_LIMIT) interned.set(h, { bytes: Buffer.from(buf.subarray(start, end)), text });
  return text;
}
