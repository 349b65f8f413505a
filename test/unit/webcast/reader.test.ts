import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { internString, Reader, u64ToNumber, u64ToString, WireError } from '../../../adapters/webcast/reader.js';
import { Writer } from '../../../adapters/webcast/writer.js';

const halves = (v: bigint) => [Number(v & 0xffffffffn), Number(v >> 32n)] as const;

describe('webcast wire reader', () => {
  it('u64 → decimal string is exact over the whole range (edges and random values)', () => {
    for (const v of [0n, 1n, 2n ** 53n - 1n, 2n ** 53n, 2n ** 53n + 1n, 2n ** 63n - 1n, 2n ** 63n, 2n ** 64n - 1n, 7412345678901234567n]) {
      expect(u64ToString(...halves(v))).toBe(v.toString());
    }
    fc.assert(fc.property(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), (v) => u64ToString(...halves(v)) === v.toString()));
  });

  it('u64 → number clamps above 2^53 (counts, never ids)', () => {
    expect(u64ToNumber(...halves(2n ** 53n - 1n))).toBe(Number.MAX_SAFE_INTEGER);
    expect(u64ToNumber(...halves(2n ** 60n))).toBe(Number.MAX_SAFE_INTEGER);
    expect(u64ToNumber(...halves(15n))).toBe(15);
  });

  it('reads what the writer wrote: varints of every size, strings, bytes, bools', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), fc.string(), fc.uint8Array(), fc.boolean(), (v, s, b, flag) => {
        const bytes = new Writer().u64(1, v.toString()).string(2, s).bytes(3, b).bool(4, flag).u64(5, 1).finish();
        const r = new Reader(bytes);
        const got: Record<number, unknown> = {};
        while (r.pos < bytes.length) {
          const tag = r.uint32();
          const field = tag >>> 3;
          if (field === 1) got[1] = r.u64String();
          else if (field === 2) got[2] = r.string();
          else if (field === 3) got[3] = Buffer.from(r.bytes());
          else if (field === 4) got[4] = r.bool();
          else r.skip(tag & 7);
        }
        expect(got[1] ?? '0').toBe(v.toString());
        expect(got[2] ?? '').toBe(s);
        expect(Buffer.compare((got[3] as Buffer | undefined) ?? Buffer.alloc(0), Buffer.from(b))).toBe(0);
        expect(got[4] ?? false).toBe(flag);
      }),
    );
  });

  it('an int32 that is negative on the wire (10-byte varint) reads back negative', () => {
    const r = new Reader(Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01));
    expect(r.int32()).toBe(-1);
    expect(r.pos).toBe(10);
  });

  it('refuses truncated and over-long input with WireError', () => {
    expect(() => new Reader(Uint8Array.of(0x80, 0x80)).uint32()).toThrow(WireError);
    expect(() => new Reader(Uint8Array.of(0x80, 0x80)).varint64()).toThrow(WireError);
    expect(() => new Reader(Buffer.alloc(11, 0xff)).varint64()).toThrow(WireError);
    expect(() => new Reader(Buffer.alloc(11, 0xff)).uint32()).toThrow(WireError);
    expect(() => new Reader(Uint8Array.of(0x05, 0x61)).string()).toThrow(WireError);
    expect(() => new Reader(Uint8Array.of(0x01, 0x02)).skip(1)).toThrow(WireError);
    expect(() => new Reader(Uint8Array.of(0x01)).skip(7)).toThrow(WireError);
    const r = new Reader(Uint8Array.of(0x01, 0x02, 0x03));
    r.pos = 2;
    expect(() => r.finish(1)).toThrow(WireError);
  });

  it('skips groups, fixed32 and fixed64 fields', () => {
    // field 1 start-group { field 2 varint 5 } end-group, field 3 fixed32, field 4 fixed64, field 5 varint 9
    const bytes = Uint8Array.of(0x0b, 0x10, 0x05, 0x0c, 0x1d, 1, 2, 3, 4, 0x21, 1, 2, 3, 4, 5, 6, 7, 8, 0x28, 0x09);
    const r = new Reader(bytes);
    for (let i = 0; i < 3; i++) r.skip(r.uint32() & 7);
    expect(r.uint32()).toBe(0x28);
    expect(r.uint32()).toBe(9);
  });

  it('interned strings come back equal to a plain decode, including after hash collisions and for non-ASCII', () => {
    const samples = ['WebcastChatMessage', 'Rose', 'Rosé Club', '玫瑰', '', 'x'.repeat(80), 'msg'];
    for (let round = 0; round < 3; round++)
      for (const s of samples) {
        const b = Buffer.concat([Buffer.from('..'), Buffer.from(s), Buffer.from('..')]);
        expect(internString(b, 2, b.length - 2)).toBe(s);
      }
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (s) => internString(Buffer.from(s), 0, Buffer.byteLength(s)) === Buffer.from(s).toString()),
    );
  });
});
