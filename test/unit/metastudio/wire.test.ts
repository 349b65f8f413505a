import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { BridgeEventSchema, giftTotalValue, type BridgeEvent } from '../../../src/core/events.js';
import { toWireEvent } from '../../../src/metastudio/wire.js';

const base = { platform: 'douyin', source: 'douyin:646454278948' } as const;
const longId = '7390123456789012345'; // 19 digits, far above 2^53

describe('toWireEvent against the documented examples', () => {
  test('comment (type 1): user object and text, content as a JSON string', () => {
    const event: BridgeEvent = {
      ...base,
      id: '1',
      ts: 1694481224245,
      kind: 'comment',
      user: { id: '2027271526', name: '***', level: 17, badge: '', badgeLevel: 0 },
      text: '***',
    };
    expect(toWireEvent(event)).toEqual({
      timestamp: 1694481224245,
      type: 1,
      content: '{"user":{"userId":"2027271526","name":"***","level":17,"badge":"","badgeLevel":0},"content":"***"}',
    });
  });

  test('join (type 2)', () => {
    const event: BridgeEvent = {
      ...base,
      id: '2',
      ts: 1694481227655,
      kind: 'join',
      user: { id: '2978899271', name: '***', level: 1, badge: '', badgeLevel: 0 },
    };
    expect(toWireEvent(event)).toEqual({
      timestamp: 1694481227655,
      type: 2,
      content: '{"user":{"userId":"2978899271","name":"***","level":1,"badge":"","badgeLevel":0}}',
    });
  });

  test('like (type 3) carries only the user, as documented (the count stays ours)', () => {
    const event: BridgeEvent = {
      ...base,
      id: '3',
      ts: 1694481227655,
      kind: 'like',
      count: 12,
      user: { id: '2978899271', name: '***', level: 1, badge: '', badgeLevel: 0 },
    };
    expect(toWireEvent(event)).toEqual({
      timestamp: 1694481227655,
      type: 3,
      content: '{"user":{"userId":"2978899271","name":"***","level":1,"badge":"","badgeLevel":0}}',
    });
  });

  test('gift (type 4): giftValue is one gift, totalValue = giftNum × giftValue', () => {
    const event: BridgeEvent = {
      ...base,
      id: '4',
      ts: 1690531652862,
      kind: 'gift',
      user: { id: 'douyin_95882940927', name: 'Romantic lover', level: 2, badge: '', badgeLevel: 0 },
      gift: { giftId: '463', name: 'Star', count: 10, unitValue: 3 },
    };
    const wire = toWireEvent(event);
    expect(wire.type).toBe(4);
    expect(wire.timestamp).toBe(1690531652862);
    // The API page's own example says totalValue 10 for 10 × 3, which is inconsistent; ours is 30.
    expect(wire.content).toBe(
      '{"user":{"userId":"douyin_95882940927","name":"Romantic lover","level":2,"badge":"","badgeLevel":0},"gift":{"giftName":"Star","giftNum":10,"totalValue":30,"giftValue":3}}',
    );
  });

  test('follow (type 5)', () => {
    const event: BridgeEvent = {
      ...base,
      id: '5',
      ts: 1694481230000,
      kind: 'follow',
      user: { id: longId, name: '路人甲', level: 0, badge: '', badgeLevel: 0 },
    };
    expect(toWireEvent(event)).toEqual({
      timestamp: 1694481230000,
      type: 5,
      content: `{"user":{"userId":"${longId}","name":"路人甲","level":0,"badge":"","badgeLevel":0}}`,
    });
  });

  test('subscribe shares type 5 with follow and carries only the documented user', () => {
    const event: BridgeEvent = {
      ...base,
      id: '7',
      ts: 1694481231000,
      kind: 'subscribe',
      user: { id: longId, name: 'Ada', level: 0, badge: 'subscriber', badgeLevel: 14 },
      subscription: { tier: '1000', months: 14 },
    };
    expect(toWireEvent(event)).toEqual({
      timestamp: 1694481231000,
      type: 5,
      content: `{"user":{"userId":"${longId}","name":"Ada","level":0,"badge":"subscriber","badgeLevel":14}}`,
    });
  });

  test('viewers (type 6)', () => {
    const event: BridgeEvent = { ...base, id: '6', ts: 1694481236886, kind: 'viewers', count: 5466 };
    expect(toWireEvent(event)).toEqual({ timestamp: 1694481236886, type: 6, content: '{"numberOfViewers":5466}' });
  });
});

describe('hostile and non-ASCII strings survive exactly', () => {
  const cases: [string, string, string][] = [
    ['CJK name and text', '星河滚烫', '这个多少钱？'],
    ['emoji, including astral-plane and ZWJ sequences', '🌸樱花🌸', '太好看了😍👨‍👩‍👧'],
    ['quotes, backslashes and control characters', 'a"b\\c', 'line1\nline2\t"quoted"\u0000'],
    ['a lone surrogate is escaped, not lost', 'x\ud800y', 'ok'],
  ];
  test.each(cases)('%s', (_label, name, text) => {
    const event: BridgeEvent = {
      ...base,
      id: longId,
      ts: 1,
      kind: 'comment',
      user: { id: longId, name, level: 3, badge: '粉丝团', badgeLevel: 7 },
      text,
    };
    const wire = toWireEvent(event);
    const content = JSON.parse(wire.content) as { user: Record<string, unknown>; content: string };
    expect(content).toEqual({ user: { userId: longId, name, level: 3, badge: '粉丝团', badgeLevel: 7 }, content: text });
    expect(wire.content).toContain(`"userId":"${longId}"`);
  });
});

describe('BridgeEventSchema', () => {
  test('accepts a 19-digit string id and rejects a numeric one', () => {
    const ok = { ...base, id: longId, ts: 1, kind: 'join', user: { id: longId, name: 'n', level: 0, badge: '', badgeLevel: 0 } };
    expect(BridgeEventSchema.parse(ok)).toEqual(ok);
    const bad = BridgeEventSchema.safeParse({ ...ok, user: { ...ok.user, id: 7390123456789012 } });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['user', 'id']);
  });

  test('rejects unknown keys and a zero gift count', () => {
    const gift = {
      ...base,
      id: '9',
      ts: 1,
      kind: 'gift',
      user: { id: '1', name: 'n', level: 0, badge: '', badgeLevel: 0 },
      gift: { giftId: '1', name: 'g', count: 0, unitValue: 1 },
    };
    expect(BridgeEventSchema.safeParse(gift).success).toBe(false);
    expect(BridgeEventSchema.safeParse({ ...gift, gift: { ...gift.gift, count: 1 }, extra: true }).success).toBe(false);
    expect(BridgeEventSchema.safeParse({ ...gift, gift: { ...gift.gift, count: 1 } }).success).toBe(true);
  });
});

test('property: every valid event maps to a wire event whose content parses and whose type matches its kind', () => {
  const user = fc.record({
    id: fc.stringMatching(/^[1-9]\d{0,19}$/),
    name: fc.string(),
    level: fc.nat(100),
    badge: fc.string(),
    badgeLevel: fc.nat(50),
  });
  const common = { id: fc.stringMatching(/^[1-9]\d{0,19}$/), platform: fc.constant('douyin'), source: fc.constant('s'), ts: fc.nat() };
  const event = fc.oneof(
    fc.record({ ...common, kind: fc.constant('comment' as const), user, text: fc.string() }),
    fc.record({ ...common, kind: fc.constant('join' as const), user }),
    fc.record({ ...common, kind: fc.constant('like' as const), user, count: fc.integer({ min: 1, max: 10_000 }) }),
    fc.record({ ...common, kind: fc.constant('follow' as const), user }),
    fc.record({
      ...common,
      kind: fc.constant('subscribe' as const),
      user,
      subscription: fc.record({ tier: fc.string({ maxLength: 20 }), months: fc.nat(600) }),
    }),
    fc.record({ ...common, kind: fc.constant('viewers' as const), count: fc.nat() }),
    fc.record({
      ...common,
      kind: fc.constant('gift' as const),
      user,
      gift: fc.record({
        giftId: fc.stringMatching(/^\d{1,12}$/),
        name: fc.string(),
        count: fc.integer({ min: 1, max: 100_000 }),
        unitValue: fc.nat(100_000),
      }),
    }),
  );
  const typeOf = { comment: 1, join: 2, like: 3, gift: 4, follow: 5, subscribe: 5, viewers: 6 } as const;
  fc.assert(
    fc.property(event, (e) => {
      const wire = toWireEvent(e as BridgeEvent);
      expect(wire.type).toBe(typeOf[e.kind]);
      expect(wire.timestamp).toBe(e.ts);
      const content = JSON.parse(wire.content) as Record<string, unknown>;
      if (e.kind === 'viewers') expect(content).toEqual({ numberOfViewers: e.count });
      else expect((content.user as { userId: string }).userId).toBe(e.user.id);
      if (e.kind === 'gift') {
        expect(content.gift).toEqual({
          giftName: e.gift.name,
          giftNum: e.gift.count,
          giftValue: e.gift.unitValue,
          totalValue: giftTotalValue(e.gift),
        });
        expect(giftTotalValue(e.gift)).toBe(e.gift.count * e.gift.unitValue);
      }
    }),
  );
});
