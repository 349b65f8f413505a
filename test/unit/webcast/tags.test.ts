import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { envelopeSchema } from '../../../adapters/webcast/envelope.js';
import { optionalTagOf, tagOf, tagsOf } from '../../../adapters/webcast/tags.js';
import { tiktokRoot, tiktokType } from '../../../adapters/tiktok/proto.js';

const root = protobuf.parse(`
syntax = "proto3";
package t;
enum E { A = 0; }
message Inner { string s = 1; }
message M {
  uint64 a = 1; int32 b = 2; bool c = 3; E e = 4; string s = 5; bytes y = 6; Inner m = 7;
  repeated Inner rm = 8; map<string, string> mp = 9; fixed64 f64 = 10; fixed32 f32 = 11; double d = 12;
  repeated uint64 packed = 13; uint64 big = 1028;
}`).root;
const M = root.lookupType('t.M');

describe('wire tags from the .proto', () => {
  it('numbers and wire types as the encoding writes them', () => {
    expect(tagsOf(M, ['a', 'b', 'c', 'e', 's', 'y', 'm', 'rm', 'mp', 'f64', 'f32', 'd', 'packed', 'big'])).toEqual({
      a: (1 << 3) | 0,
      b: (2 << 3) | 0,
      c: (3 << 3) | 0,
      e: (4 << 3) | 0,
      s: (5 << 3) | 2,
      y: (6 << 3) | 2,
      m: (7 << 3) | 2,
      rm: (8 << 3) | 2,
      mp: (9 << 3) | 2,
      f64: (10 << 3) | 1,
      f32: (11 << 3) | 5,
      d: (12 << 3) | 1,
      packed: (13 << 3) | 2,
      big: (1028 << 3) | 0,
    });
    // The tag a real encoder writes matches: encode each field alone and read its first varint.
    const first = (obj: Record<string, unknown>) => protobuf.Reader.create(M.encode(M.fromObject(obj)).finish()).uint32();
    expect(first({ big: 5 })).toBe(tagOf(M, 'big'));
    expect(first({ s: 'x' })).toBe(tagOf(M, 's'));
    expect(first({ f32: 1 })).toBe(tagOf(M, 'f32'));
  });

  it('a field the .proto lacks fails at load, naming it; optional ones read as -1', () => {
    expect(() => tagOf(M, 'nope')).toThrow('t.M has no field "nope" (the decoder and the .proto disagree)');
    expect(optionalTagOf(M, 'nope')).toBe(-1);
    expect(() => envelopeSchema(tiktokRoot(), 'tiktok', { isFirst: 'isFrist' })).toThrow('isFrist');
  });

  it('the TikTok traps hold in proto/tiktok.proto: service and method are varints; the gift id is gift(15).id(5)', () => {
    expect(tagOf(tiktokType('PushFrame'), 'service') & 7).toBe(0);
    expect(tagOf(tiktokType('PushFrame'), 'method') & 7).toBe(0);
    expect(tagOf(tiktokType('GiftMessage'), 'gift')).toBe((15 << 3) | 2);
    expect(tagOf(tiktokType('GiftStruct'), 'id')).toBe((5 << 3) | 0);
  });
});
