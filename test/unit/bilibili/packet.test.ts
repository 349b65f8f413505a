import { describe, expect, it } from 'vitest';
import { brotliCompressSync, deflateSync } from 'node:zlib';
import fc from 'fast-check';
import { encodePacket, unpack, type Packet, type PacketProblem } from '../../../adapters/bilibili/packet.js';
import { MAX_INFLATED_BYTES } from '../../../adapters/kit/inflate.js';
import { brotliBatch, cmdPacket, heartbeatReply, packet, zlibBatch } from '../../helpers/bilibili/frames.js';

function collect(data: Buffer) {
  const packets: Packet[] = [];
  const problems: PacketProblem[] = [];
  unpack(data, { packet: (p) => packets.push(p), problem: (r) => problems.push(r) });
  return { packets, problems, bodies: packets.map((p) => p.body.toString('utf8')) };
}

describe('packet framing', () => {
  it('writes the 16-byte big-endian header', () => {
    const p = encodePacket(7, '{"a":1}');
    expect([...p.subarray(0, 16)]).toEqual([0, 0, 0, 23, 0, 16, 0, 1, 0, 0, 0, 7, 0, 0, 0, 1]);
    expect(p.subarray(16).toString()).toBe('{"a":1}');
  });

  it('splits packets laid end to end', () => {
    const { bodies, problems } = collect(Buffer.concat([cmdPacket('{"cmd":"A"}'), cmdPacket('{"cmd":"B"}')]));
    expect(bodies).toEqual(['{"cmd":"A"}', '{"cmd":"B"}']);
    expect(problems).toEqual([]);
  });

  it('inflates a brotli batch and a zlib batch into their packets', () => {
    expect(collect(brotliBatch(['{"cmd":"1"}', '{"cmd":"2"}', '{"cmd":"3"}'])).bodies).toEqual([
      '{"cmd":"1"}',
      '{"cmd":"2"}',
      '{"cmd":"3"}',
    ]);
    expect(collect(zlibBatch(['{"cmd":"x"}', '{"cmd":"y"}'])).bodies).toEqual(['{"cmd":"x"}', '{"cmd":"y"}']);
  });

  it('reads a heartbeat reply whose length excludes the echoed body', () => {
    const { packets, problems } = collect(heartbeatReply(1234));
    expect(packets).toHaveLength(1);
    expect(packets[0]!.op).toBe(3);
    expect(packets[0]!.body.readUInt32BE(0)).toBe(1234);
    expect(problems).toEqual([]);
  });

  it('names each kind of bad input and keeps what came before', () => {
    const bad = packet(5, 0, 'x');
    bad.writeUInt16BE(8, 4);
    expect(collect(Buffer.concat([cmdPacket('{"ok":1}'), bad])).problems).toEqual(['bad_header']);
    expect(collect(Buffer.concat([cmdPacket('{"ok":1}'), bad])).bodies).toEqual(['{"ok":1}']);
    expect(collect(cmdPacket('{"cmd":"A"}').subarray(0, 20)).problems).toEqual(['truncated']);
    expect(collect(Buffer.from([1, 2, 3])).problems).toEqual(['truncated']);
    expect(collect(Buffer.concat([packet(5, 3, Buffer.from('not brotli at all')), cmdPacket('{"after":1}')]))).toMatchObject({
      problems: ['brotli'],
      bodies: ['{"after":1}'],
    });
    expect(collect(packet(5, 2, Buffer.from('not zlib'))).problems).toEqual(['zlib']);
    expect(collect(packet(5, 3, brotliCompressSync(brotliBatch(['{}'])))).problems).toEqual(['nested_compression']);
    expect(collect(packet(5, 9, '{}')).problems).toEqual(['unknown_protover']);
  });

  it('stops inflating zlib and brotli bombs at the cap: a counted inflated_too_large, and the next packet still read', () => {
    const zeros = Buffer.alloc(MAX_INFLATED_BYTES + 1);
    for (const [ver, body] of [
      [2, deflateSync(zeros)],
      [3, brotliCompressSync(zeros)],
    ] as const) {
      expect(body.length).toBeLessThan(100_000);
      expect(collect(Buffer.concat([packet(5, ver, body), cmdPacket('{"after":1}')]))).toMatchObject({
        problems: ['inflated_too_large'],
        bodies: ['{"after":1}'],
      });
    }
  });

  it('never throws on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        collect(Buffer.from(bytes));
        collect(packet(5, 3, Buffer.from(bytes)));
        collect(packet(5, 2, Buffer.from(bytes)));
      }),
    );
  });
});
