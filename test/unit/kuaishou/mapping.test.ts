/**
 * Kuaishou frames → BridgeEvents and session signals, from real wire bytes (kuaishou-wire.proto,
 * with the fields the bridge skips): comments with CJK and emoji, likes, gifts (combo running
 * counts, batches, names, values, unpriced), viewer strings sent only on change, duplicate feed
 * ids, and every unreadable frame refused with its reason.
 */
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { KuaishouDecodeError } from '../../../adapters/kuaishou/codec.js';
import { GiftCatalog } from '../../../adapters/kuaishou/gifts.js';
import { giftCount, mapFrame, type KuaishouOutput, type MappingContext } from '../../../adapters/kuaishou/mapping.js';
import { RoomState } from '../../../adapters/kuaishou/room-state.js';
import {
  authorPause,
  authorResume,
  enterRoomAck,
  feedPush,
  feedPushPayload,
  heartbeatAck,
  rawSocketMessage,
  scError,
  socketMessage,
  TYPE,
  watchingList,
  type UserSpec,
} from '../../helpers/kuaishou/frames.js';

const NOW = 1_764_000_000_000;
const FAN: UserSpec = {
  id: '3x4fan9z8y7w6v5',
  name: '熊***',
  wealth: 12,
  fans: { name: '小熊', level: 7 },
  otherBadges: [{ icon: 'wealth_12', name: '财富' }],
};
const PLAIN: UserSpec = { id: '3xplain', name: '用户😀' };

function context(overrides: { names?: Record<string, string>; values?: Record<string, number> } = {}) {
  const gifts = new GiftCatalog(overrides);
  gifts.replaceNames(
    new Map([
      ['1', '荧光棒'],
      ['9', '啤酒'],
    ]),
  );
  gifts.replacePrices(
    new Map([
      ['1', 1],
      ['9', 10],
    ]),
  );
  const unpriced: string[] = [];
  const ctx: MappingContext = { source: 'ks', gifts, room: new RoomState('ls-1'), now: () => NOW, unpriced: (id) => unpriced.push(id) };
  return { ctx, unpriced };
}

function events(out: KuaishouOutput) {
  if (out.kind !== 'events') throw new Error(`expected events, got ${out.kind}`);
  return out.events;
}

const fanUser = { id: FAN.id, name: '熊***', level: 12, badge: '小熊', badgeLevel: 7 };
const plainUser = { id: PLAIN.id, name: '用户😀', level: 0, badge: '', badgeLevel: 0 };

describe('comments, likes and viewers', () => {
  it('maps comments (CJK, emoji) with user, level and fans badge, in order, gzip and plain alike', () => {
    const { ctx } = context();
    const spec = {
      comments: [
        { id: 'c1', user: FAN, content: '主播好！今天有什么好物🎉', time: NOW - 5 },
        { id: 'c2', user: PLAIN, content: '👍👍 666', time: NOW - 4 },
      ],
    };
    const expected = [
      { kind: 'comment', id: 'c1', platform: 'kuaishou', source: 'ks', ts: NOW - 5, user: fanUser, text: '主播好！今天有什么好物🎉' },
      { kind: 'comment', id: 'c2', platform: 'kuaishou', source: 'ks', ts: NOW - 4, user: plainUser, text: '👍👍 666' },
    ];
    expect(events(mapFrame(feedPush(spec, 'gzip'), ctx))).toEqual(expected);
    const fresh = context().ctx;
    expect(events(mapFrame(feedPush(spec, 'none'), fresh))).toEqual(expected);
  });

  it('maps first likes as one like each, stamped on receipt', () => {
    const { ctx } = context();
    expect(
      events(
        mapFrame(
          feedPush({
            likes: [
              { id: 'l1', user: FAN },
              { id: 'l2', user: PLAIN },
            ],
          }),
          ctx,
        ),
      ),
    ).toEqual([
      { kind: 'like', id: 'l1', platform: 'kuaishou', source: 'ks', ts: NOW, user: fanUser, count: 1 },
      { kind: 'like', id: 'l2', platform: 'kuaishou', source: 'ks', ts: NOW, user: plainUser, count: 1 },
    ]);
  });

  it('sends a viewer count only when it changes, from feed pushes and the watching list', () => {
    const { ctx } = context();
    const counts = ['8,888', '8,888', '1.2万', '10万+', '10万+', '3亿'].flatMap((v, i) =>
      events(mapFrame(i % 2 ? watchingList(v) : feedPush({ viewers: v }), ctx)).map((e) => (e.kind === 'viewers' ? e.count : -1)),
    );
    expect(counts).toEqual([8888, 12000, 100000, 300000000]);
    const [first] = events(mapFrame(feedPush({ viewers: '5' }), context().ctx));
    expect(first).toEqual({ kind: 'viewers', id: `viewers:ls-1:${NOW}:5`, platform: 'kuaishou', source: 'ks', ts: NOW, count: 5 });
  });

  it('refuses a viewer string that is not a count', () => {
    expect(() => mapFrame(feedPush({ viewers: 'lots' }), context().ctx)).toThrow(KuaishouDecodeError);
  });

  it('drops feed ids it has already reported (a reconnect pushes recent feeds again)', () => {
    const { ctx } = context();
    const push = feedPush({ comments: [{ id: 'c1', user: FAN, content: 'a', time: NOW }], likes: [{ id: 'l1', user: FAN }] });
    expect(events(mapFrame(push, ctx)).map((e) => e.id)).toEqual(['c1', 'l1']);
    expect(events(mapFrame(push, ctx))).toEqual([]);
  });

  it('counts feeds without an id or a user as malformed', () => {
    const { ctx } = context();
    const out = mapFrame(
      feedPush({
        comments: [
          { id: '', user: FAN, content: 'x', time: NOW },
          { id: 'c9', user: { id: '', name: 'n' }, content: 'y', time: NOW },
        ],
      }),
      ctx,
    );
    expect(out).toEqual({ kind: 'events', events: [], malformed: 2 });
  });
});

describe('gifts', () => {
  const gift = (id: string, combo: number, extra: { batchSize?: number; giftId?: number; mergeKey?: string } = {}) => ({
    id,
    user: FAN,
    giftId: extra.giftId ?? 9,
    time: NOW - 100 + combo,
    mergeKey: extra.mergeKey ?? 'mk-1',
    comboCount: combo,
    batchSize: extra.batchSize ?? 1,
  });

  it('reports each step of a combo with its running count and the mergeKey as streak key', () => {
    const { ctx } = context();
    const out = [1, 2, 3, 5].flatMap((n) => events(mapFrame(feedPush({ gifts: [gift(`g${n}`, n)] }), ctx)));
    expect(out.map((e) => (e.kind === 'gift' ? [e.id, e.gift.count, e.gift.streak] : []))).toEqual([
      ['g1', 1, { key: 'mk-1', final: false }],
      ['g2', 2, { key: 'mk-1', final: false }],
      ['g3', 3, { key: 'mk-1', final: false }],
      ['g5', 5, { key: 'mk-1', final: false }],
    ]);
    expect(out[3]).toEqual({
      kind: 'gift',
      id: 'g5',
      platform: 'kuaishou',
      source: 'ks',
      ts: NOW - 95,
      user: fanUser,
      gift: { giftId: '9', name: '啤酒', count: 5, unitValue: 10, streak: { key: 'mk-1', final: false } },
    });
  });

  it('counts a batch as batchSize when comboCount is 1, and a combo of batches as their product', () => {
    expect(giftCount({ batchSize: 10, comboCount: 1 })).toBe(10);
    expect(giftCount({ batchSize: 1, comboCount: 5 })).toBe(5);
    expect(giftCount({ batchSize: 10, comboCount: 3 })).toBe(30);
    expect(giftCount({})).toBe(1);
    const [e] = events(mapFrame(feedPush({ gifts: [gift('b1', 1, { batchSize: 10, giftId: 1 })] }), context().ctx));
    expect(e?.kind === 'gift' && e.gift).toEqual({
      giftId: '1',
      name: '荧光棒',
      count: 10,
      unitValue: 1,
      streak: { key: 'mk-1', final: false },
    });
  });

  it('values an unpriced gift at 0 and reports it as unpriced once per combo', () => {
    const { ctx, unpriced } = context();
    const out = [1, 2].flatMap((n) => events(mapFrame(feedPush({ gifts: [gift(`u${n}`, n, { giftId: 777, mergeKey: 'mk-u' })] }), ctx)));
    expect(out.map((e) => e.kind === 'gift' && [e.gift.name, e.gift.unitValue])).toEqual([
      ['礼物777', 0],
      ['礼物777', 0],
    ]);
    expect(unpriced).toEqual(['777']);
  });

  it('lets the operator tables win over allgifts names and gift-list prices', () => {
    const { ctx, unpriced } = context({ names: { '9': '冰啤酒', '777': '神秘' }, values: { '9': 20, '777': 3 } });
    const out = events(mapFrame(feedPush({ gifts: [gift('o1', 1), gift('o2', 1, { giftId: 777, mergeKey: 'mk-o' })] }), ctx));
    expect(out.map((e) => e.kind === 'gift' && [e.gift.name, e.gift.unitValue])).toEqual([
      ['冰啤酒', 20],
      ['神秘', 3],
    ]);
    expect(unpriced).toEqual([]);
  });

  it('sends a gift without a mergeKey without a streak (reported at once)', () => {
    const [e] = events(mapFrame(feedPush({ gifts: [gift('s1', 1, { mergeKey: '' })] }), context().ctx));
    expect(e?.kind === 'gift' && e.gift.streak).toBeUndefined();
  });
});

describe('session signals', () => {
  it('reads the enter-room ack (heartbeat clamped to 1–120 s), heartbeat acks, errors, pause and resume', () => {
    const { ctx } = context();
    expect(mapFrame(enterRoomAck(20_000), ctx)).toEqual({
      kind: 'enter_ack',
      heartbeatMs: 20_000,
      minReconnectMs: 1000,
      maxReconnectMs: 10000,
    });
    expect(mapFrame(enterRoomAck(5), ctx)).toMatchObject({ heartbeatMs: 1000 });
    expect(mapFrame(enterRoomAck(0), ctx)).toMatchObject({ heartbeatMs: 0 });
    expect(mapFrame(heartbeatAck(NOW, NOW - 3), ctx)).toEqual({ kind: 'heartbeat_ack' });
    expect(mapFrame(scError(10000, '直播已结束', 3), ctx)).toEqual({ kind: 'error', code: 10000, subCode: 3, message: '直播已结束' });
    expect(mapFrame(authorPause(NOW), ctx)).toEqual({ kind: 'pause' });
    expect(mapFrame(authorResume(NOW), ctx)).toEqual({ kind: 'resume' });
  });
});

describe('unreadable frames', () => {
  const reason = (bytes: Uint8Array) => {
    try {
      mapFrame(bytes, context().ctx);
      return 'decoded';
    } catch (err) {
      return err instanceof KuaishouDecodeError ? err.reason : `threw ${String(err)}`;
    }
  };

  it('refuses AES, unknown compressions and unknown payload types with their reason', () => {
    expect(reason(socketMessage(TYPE.scFeedPush, Buffer.from('secret bytes'), 'aes'))).toBe('aes_payload');
    expect(reason(socketMessage(TYPE.scFeedPush, feedPushPayload({}), 9))).toBe('unknown_compression');
    expect(reason(socketMessage(TYPE.scCommentZoneRichText, Buffer.from([1, 2, 3]), 'gzip'))).toBe('unknown_payload_type');
    expect(reason(socketMessage(Number.MAX_SAFE_INTEGER % 2 ** 31, Buffer.alloc(0)))).toBe('unknown_payload_type');
  });

  it('refuses garbage, corrupt gzip, a malformed payload and a gzip bomb', () => {
    expect(reason(Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f]))).toBe('malformed_frame');
    expect(reason(socketMessage(TYPE.scFeedPush, Buffer.from([0x1f, 0x8b, 1, 2, 3]), 1))).toBe('malformed_payload');
    const corrupt = rawSocketMessage(TYPE.scFeedPush, Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 9, 9, 9]), 2);
    expect(reason(corrupt)).toBe('corrupt_gzip');
    const bomb = rawSocketMessage(TYPE.scFeedPush, gzipSync(Buffer.alloc(8 * 1024 * 1024)), 2);
    expect(bomb.length).toBeLessThan(20_000);
    expect(reason(bomb)).toBe('inflated_too_large');
  });

  it('never throws anything but a KuaishouDecodeError for random bytes', () => {
    for (let i = 0; i < 500; i += 1) {
      const bytes = Buffer.from(Array.from({ length: 1 + (i % 64) }, (_, j) => (i * 31 + j * 17) % 256));
      expect(reason(bytes)).not.toMatch(/^threw/);
    }
  });
});
