import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { CaptureDecoder } from '../../../adapters/douyin-browser/capture.js';
import { RecentKeys } from '../../../adapters/douyin-browser/dedupe.js';
import { decodeFrame } from '../../../adapters/douyin/codec.js';
import { DiscardReporter } from '../../../adapters/common/discard.js';
import { GiftTable } from '../../../adapters/douyin/gift-table.js';
import { mapResponse, type MappingContext } from '../../../adapters/douyin/mapping.js';
import type { SourceDiscard } from '../../../src/core/source.js';
import { ManualClock } from '../../helpers/clock.js';
import { common, controlFrame, msgFrame, response, user } from '../../helpers/douyin/frames.js';
import { ROOM_ID, standardMessages, T0, VIEWER } from '../../helpers/douyin/scenario.js';
import { silentLogger } from '../../helpers/logger.js';

function decoder(dedupeSize = 100) {
  const discards: SourceDiscard[] = [];
  const ctx: MappingContext = { source: 'b', giftTable: new GiftTable(), now: () => T0 };
  const reporter = new DiscardReporter({
    platform: 'douyin',
    emit: (d) => discards.push(d),
    logger: silentLogger(),
    clock: new ManualClock(),
  });
  return { d: new CaptureDecoder({ ctx, discards: reporter, dedupeSize }), discards, ctx };
}

const chat = (msgId: string) => ({
  type: 'ChatMessage',
  msgId,
  fields: { common: common('WebcastChatMessage', msgId, ROOM_ID, T0), user: user(VIEWER), content: `c${msgId}` },
});

test('a push frame maps exactly as the direct adapter maps it', () => {
  const { d, ctx } = decoder();
  const frame = msgFrame({ messages: standardMessages() });
  const direct = mapResponse(decodeFrame(frame).response!, ctx).events;
  expect(d.pushFrame(frame)).toEqual({ events: direct, liveEnded: false, duplicates: 0 });
  expect(direct).toHaveLength(12);
});

test('the same message by push then by fetch (gzip or not) is emitted once; a new one passes', () => {
  const { d } = decoder();
  expect(d.pushFrame(msgFrame({ messages: [chat('9007199254740993')] })).events.map((e) => e.id)).toEqual(['9007199254740993']);
  expect(d.fetchBody(gzipSync(response({ messages: [chat('9007199254740993'), chat('9007199254740994')] })))).toMatchObject({
    duplicates: 1,
    events: [{ id: '9007199254740994' }],
  });
  expect(d.fetchBody(response({ messages: [chat('9007199254740994')] }))).toEqual({ events: [], liveEnded: false, duplicates: 1 });
});

test('a close frame or ControlMessage action 3 ends the live; hb frames are nothing', () => {
  const { d } = decoder();
  expect(d.pushFrame(controlFrame('close'))).toEqual({ events: [], liveEnded: true, duplicates: 0 });
  expect(d.pushFrame(controlFrame('hb'))).toEqual({ events: [], liveEnded: false, duplicates: 0 });
  const end = { type: 'ControlMessage', msgId: '77', fields: { common: common('WebcastControlMessage', '77', ROOM_ID, T0), action: 3 } };
  expect(d.fetchBody(response({ messages: [end] })).liveEnded).toBe(true);
});

test('garbage never throws: each bad piece is one discard with its reason', () => {
  const { d, discards } = decoder();
  expect(d.pushFrame(Uint8Array.of(0x0a, 0xff, 0xff))).toEqual({ events: [], liveEnded: false, duplicates: 0 });
  expect(d.fetchBody(Uint8Array.of(0x1f, 0x8b, 0x00, 0x01))).toEqual({ events: [], liveEnded: false, duplicates: 0 });
  d.fetchBody(response({ messages: [{ method: 'WebcastChatMessage', msgId: '5', payload: Uint8Array.of(0x0a, 0xff) }] }));
  expect(discards).toEqual([
    { reason: 'malformed_frame', count: 1 },
    { reason: 'corrupt_gzip', count: 1 },
    { reason: 'malformed_payload', count: 1 },
  ]);
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
      d.pushFrame(bytes);
      d.fetchBody(bytes);
    }),
  );
});

test('RecentKeys forgets the oldest key past its capacity', () => {
  const keys = new RecentKeys(2);
  expect([keys.add('a'), keys.add('b'), keys.add('a'), keys.add('c'), keys.add('a'), keys.add('b')]).toEqual([
    true,
    true,
    false,
    true,
    true,
    true,
  ]);
  expect(keys.size).toBe(2);
  expect(() => new RecentKeys(0)).toThrow(RangeError);
});
