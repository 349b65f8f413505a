/**
 * The codec: u64 ids as exact strings (19 digits and the whole unsigned range), gzip on magic
 * bytes, header resume state, outgoing frames, and typed errors for bad input.
 */
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import Long from 'long';
import { describe, expect, it } from 'vitest';
import {
  decodeFrame,
  decodePushFrame,
  decodeResponse,
  DouyinDecodeError,
  encodeAck,
  HEARTBEAT_FRAME,
  isGzip,
  u64Number,
  u64String,
} from '../../../adapters/douyin/codec.js';
import { douyinProtoPath } from '../../../adapters/douyin/proto.js';
import { MAX_INFLATED_BYTES } from '../../../adapters/kit/inflate.js';
import { encode, msgFrame, response, u64 } from '../../helpers/douyin/frames.js';

describe('u64 conversion', () => {
  it('keeps 19-digit ids exact (beyond 2^53 and beyond 2^63)', () => {
    for (const id of ['7653887015607454502', '9007199254740993', '9223372036854775808', '18446744073709551615', '0', '1']) {
      expect(u64String(Long.fromString(id, true))).toBe(id);
    }
  });

  it('round-trips every u64 through the wire (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), (n) => {
        const bytes = encode('PushFrame', { logId: u64(n.toString()), seqId: u64(n.toString()) });
        const frame = decodePushFrame(bytes);
        return frame.logId === n.toString() && frame.seqId === n.toString();
      }),
    );
  });

  it('clamps counts to MAX_SAFE_INTEGER', () => {
    expect(u64Number(Long.fromString('18446744073709551615', true))).toBe(Number.MAX_SAFE_INTEGER);
    expect(u64Number(Long.fromNumber(30600, true))).toBe(30600);
    expect(u64Number(undefined)).toBe(0);
  });
});

describe('frames and responses', () => {
  it('finds proto/douyin.proto beside the sources', () => {
    expect(douyinProtoPath()).toMatch(/\/proto\/douyin\.proto$/);
  });

  it('decodes a gzip msg frame with 19-digit message ids and headers', () => {
    const bytes = msgFrame(
      {
        messages: [{ method: 'WebcastChatMessage', msgId: '7653887015607454601', payload: Uint8Array.of(0x1a, 0x01, 0x41) }],
        cursor: 'c',
        internalExt: 'ie',
        needAck: true,
        heartbeatDuration: 20,
      },
      { logId: '18446744073709551615', seqId: '7653887015607454999' },
    );
    const { frame, response: res } = decodeFrame(bytes);
    expect(frame).toMatchObject({
      logId: '18446744073709551615',
      seqId: '7653887015607454999',
      payloadType: 'msg',
      payloadEncoding: 'pb',
      headers: { compress_type: 'gzip' },
    });
    expect(res).toMatchObject({ cursor: 'c', internalExt: 'ie', needAck: true, heartbeatDurationS: 20, fetchIntervalMs: 0 });
    expect(res!.messages).toEqual([
      { method: 'WebcastChatMessage', msgId: '7653887015607454601', payload: Buffer.from([0x1a, 0x01, 0x41]), msgType: 0 },
    ]);
  });

  it('gunzips on the magic bytes whatever the headers say, and reads plain payloads as they are', () => {
    const body = response({ messages: [], cursor: 'plain' });
    expect(isGzip(gzipSync(body))).toBe(true);
    expect(isGzip(body)).toBe(false);
    expect(decodeResponse(gzipSync(body), {}).cursor).toBe('plain');
    expect(decodeResponse(body, { compress_type: 'gzip' }).cursor).toBe('plain');
  });

  it('prefers the im-cursor and im-internal_ext headers over the body', () => {
    const body = response({ messages: [], cursor: 'body', internalExt: 'body-ie' });
    expect(decodeResponse(body, { 'im-cursor': 'hdr', 'im-internal_ext': 'hdr-ie' })).toMatchObject({
      cursor: 'hdr',
      internalExt: 'hdr-ie',
    });
  });

  it('the heartbeat frame is exactly a PushFrame with payloadType "hb"', () => {
    expect([...HEARTBEAT_FRAME]).toEqual([0x3a, 0x02, 0x68, 0x62]);
    expect([...encode('PushFrame', { payloadType: 'hb' })]).toEqual([...HEARTBEAT_FRAME]);
  });

  it('an ack carries logId, "ack" and the internalExt bytes', () => {
    const ack = decodePushFrame(encodeAck('7653887015607499999', '内部|seq:1'));
    expect(ack).toMatchObject({ logId: '7653887015607499999', payloadType: 'ack', seqId: '0' });
    expect(Buffer.from(ack.payload).toString('utf8')).toBe('内部|seq:1');
  });
});

describe('bad input', () => {
  const reasonOf = (fn: () => unknown) => {
    try {
      fn();
    } catch (err) {
      expect(err).toBeInstanceOf(DouyinDecodeError);
      return (err as DouyinDecodeError).reason;
    }
    return 'no error';
  };

  it('names what was wrong', () => {
    expect(reasonOf(() => decodePushFrame(Uint8Array.of(0x0a, 0x7f)))).toBe('malformed_frame');
    expect(reasonOf(() => decodeResponse(Uint8Array.of(0x1f, 0x8b, 0x08, 0, 0, 0)))).toBe('corrupt_gzip');
    expect(reasonOf(() => decodeResponse(Uint8Array.of(0x0a, 0x05, 0x01)))).toBe('malformed_response');
  });

  it('never throws anything but DouyinDecodeError for random bytes (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        for (const fn of [() => decodeFrame(bytes), () => decodeResponse(bytes)]) {
          try {
            fn();
          } catch (err) {
            if (!(err instanceof DouyinDecodeError)) return false;
          }
        }
        return true;
      }),
    );
  });

  it('skips unknown fields', () => {
    const withExtra = Buffer.concat([Buffer.from(encode('PushFrame', { payloadType: 'hb' })), Buffer.from([0xa0, 0x06, 0x05])]); // field 100 varint
    expect(decodePushFrame(withExtra).payloadType).toBe('hb');
  });
});

describe('the inflate cap', () => {
  it('inflates a payload of exactly MAX_INFLATED_BYTES and refuses one byte more, as inflated_too_large', () => {
    const at = gzipSync(Buffer.alloc(MAX_INFLATED_BYTES));
    const over = gzipSync(Buffer.alloc(MAX_INFLATED_BYTES + 1));
    // Zeros are not a Response: at the cap the inflate succeeds and the protobuf decode refuses.
    expect(() => decodeResponse(at)).toThrow(expect.objectContaining({ reason: 'malformed_response' }));
    let caught: unknown;
    try {
      decodeResponse(over);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(DouyinDecodeError);
    const err = caught as DouyinDecodeError;
    expect(err.reason).toBe('inflated_too_large');
    expect(((err.cause as Error).cause as { code?: string }).code).toBe('ERR_BUFFER_TOO_LARGE');
  });
});
