/**
 * Mapping, field by field: each method to its BridgeEvent, users (level, badge), gift values,
 * streak fields and the gift table, id and time fallbacks, skips, and hostile payloads.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeResponse, DouyinDecodeError, type DouyinMessage } from '../../../adapters/douyin/codec.js';
import { GiftTable, parseGiftList } from '../../../adapters/douyin/gift-table.js';
import { DOUYIN_ROUTES, isLiveEndMessage, mapMessage, mapResponse } from '../../../adapters/douyin/mapping.js';
import { BridgeEventSchema } from '../../../src/core/events.js';
import { common, encode, response, u64, user } from '../../helpers/douyin/frames.js';
import { GIFT_LIST, standardEvents, standardMessages, VIEWER } from '../../helpers/douyin/scenario.js';

const msg = (type: string, fields: Record<string, unknown>, msgId = '7653887015607454001'): DouyinMessage => ({
  method: `Webcast${type}`,
  payload: encode(type, fields),
  msgId,
  msgType: 0,
});
const ctx = (table = new GiftTable()) => ({ source: 'src', giftTable: table, now: () => 1_700_000_000_000 });
const viewer = { id: VIEWER.id, name: VIEWER.nickname, level: 23, badge: '红粉', badgeLevel: 12 };

describe('mapResponse over the standard traffic', () => {
  it('maps every type in order, skips shares and unknown methods unread', () => {
    const table = new GiftTable();
    table.replace(parseGiftList({ status_code: 0, data: { gifts: GIFT_LIST } }));
    const res = decodeResponse(response({ messages: standardMessages() }));
    const mapped = mapResponse(res, { source: 'shop', giftTable: table });
    expect(mapped).toEqual({ events: standardEvents('shop'), liveEnded: false, failures: [] });
    for (const e of mapped.events) expect(BridgeEventSchema.parse(e)).toEqual(e);
  });
});

describe('users', () => {
  it('prefers the honour-level badge over the pay grade, and reads the fan club', () => {
    const u = user({ id: '1', nickname: 'n', payLevel: 5, honourLevel: 31, club: { name: '团', level: 7 } });
    expect(mapMessage(msg('MemberMessage', { user: u }), ctx())).toMatchObject({
      user: { id: '1', name: 'n', level: 31, badge: '团', badgeLevel: 7 },
    });
    const pay = user({ id: '2', nickname: 'p', payLevel: 9 });
    expect(mapMessage(msg('MemberMessage', { user: pay }), ctx())).toMatchObject({ user: { id: '2', level: 9, badge: '', badgeLevel: 0 } });
  });

  it('falls back to the User level (field 6) after the honour badge and the pay grade', () => {
    const onlyLevel = { ...user({ id: '3', nickname: 'l' }), level: 17 };
    expect(mapMessage(msg('MemberMessage', { user: onlyLevel }), ctx())).toMatchObject({ user: { id: '3', level: 17 } });
    const payAndLevel = { ...user({ id: '4', nickname: 'p', payLevel: 9 }), level: 17 };
    expect(mapMessage(msg('MemberMessage', { user: payAndLevel }), ctx())).toMatchObject({ user: { level: 9 } });
    const zeroPay = { ...user({ id: '5', nickname: 'z', payLevel: 0 }), level: 4 };
    expect(mapMessage(msg('MemberMessage', { user: zeroPay }), ctx())).toMatchObject({ user: { level: 4 } });
    const honour = { ...user({ id: '6', nickname: 'h', payLevel: 9, honourLevel: 31 }), level: 17 };
    expect(mapMessage(msg('MemberMessage', { user: honour }), ctx())).toMatchObject({ user: { level: 31 } });
  });

  it('falls back to idStr, then secUid, for the user id; no user at all is id "0"', () => {
    expect(mapMessage(msg('MemberMessage', { user: { nickname: 'a', idStr: '7777777777777777777' } }), ctx())).toMatchObject({
      user: { id: '7777777777777777777' },
    });
    expect(mapMessage(msg('MemberMessage', { user: { nickname: 'b', secUid: 'MS4wLjABAAAA' } }), ctx())).toMatchObject({
      user: { id: 'MS4wLjABAAAA' },
    });
    expect(mapMessage(msg('MemberMessage', {}), ctx())).toMatchObject({ user: { id: '0', name: '', level: 0, badge: '', badgeLevel: 0 } });
  });
});

describe('ids and times', () => {
  it('takes the id from the message, else the common, else a payload digest that is stable', () => {
    const fields = { common: common('WebcastMemberMessage', '7653887015607454777', '1', 5), user: user({ id: '1', nickname: 'x' }) };
    expect(mapMessage(msg('MemberMessage', fields, '0'), ctx())?.id).toBe('7653887015607454777');
    const bare = msg('MemberMessage', { user: user({ id: '1', nickname: 'x' }) }, '0');
    const id = mapMessage(bare, ctx())!.id;
    expect(id).toMatch(/^sha1:[0-9a-f]{24}$/);
    expect(mapMessage({ ...bare }, ctx())!.id).toBe(id);
  });

  it('uses createTime, else the context clock', () => {
    expect(mapMessage(msg('ChatMessage', { common: { createTime: u64(1_764_000_000_123) }, content: 'x' }), ctx())?.ts).toBe(
      1_764_000_000_123,
    );
    expect(mapMessage(msg('ChatMessage', { content: 'x' }), ctx())?.ts).toBe(1_700_000_000_000);
  });
});

describe('each method', () => {
  it('like: count is the per-event delta; zero likes are no event', () => {
    expect(mapMessage(msg('LikeMessage', { count: 15, total: 99999, user: user(VIEWER) }), ctx())).toMatchObject({
      kind: 'like',
      count: 15,
      user: viewer,
    });
    expect(mapMessage(msg('LikeMessage', { count: 0, total: 5 }), ctx())).toBeNull();
  });

  it('social: action 1 is a follow; shares are ignored', () => {
    expect(mapMessage(msg('SocialMessage', { action: 1, user: user(VIEWER) }), ctx())).toMatchObject({ kind: 'follow', user: viewer });
    expect(mapMessage(msg('SocialMessage', { action: 3, shareTarget: '1' }), ctx())).toBeNull();
  });

  it('viewers: RoomUserSeqMessage.total', () => {
    expect(mapMessage(msg('RoomUserSeqMessage', { total: 30600, totalUser: 1200000, onlineUserForAnchor: '3.06万' }), ctx())).toEqual({
      id: '7653887015607454001',
      platform: 'douyin',
      source: 'src',
      ts: 1_700_000_000_000,
      kind: 'viewers',
      count: 30600,
    });
  });

  it('control: action 3 ends the broadcast and is no event', () => {
    const end = msg('ControlMessage', { action: 3 });
    expect(isLiveEndMessage(end)).toBe(true);
    expect(isLiveEndMessage(msg('ControlMessage', { action: 1 }))).toBe(false);
    expect(mapMessage(end, ctx())).toBeNull();
  });

  it('unknown methods are skipped without decoding', () => {
    expect(mapMessage({ method: 'WebcastInRoomBannerMessage', payload: Uint8Array.of(0xff), msgId: '1', msgType: 0 }, ctx())).toBeNull();
  });
});

describe('gifts', () => {
  const giftMsg = (fields: Record<string, unknown>) => msg('GiftMessage', { user: user(VIEWER), groupId: '1764000000999', ...fields });

  it('an instant multi-send: count = groupCount × repeatCount, no streak', () => {
    const e = mapMessage(
      giftMsg({ giftId: 3, groupCount: 66, repeatCount: 1, sendType: 1, gift: { id: 3, name: '小心心', diamondCount: 1, combo: false } }),
      ctx(),
    );
    expect(e).toMatchObject({ kind: 'gift', gift: { giftId: '3', name: '小心心', count: 66, unitValue: 1 } });
    expect(e && 'gift' in e ? e.gift.streak : 'none').toBeUndefined();
  });

  it('a combo message carries the streak key (user:gift:group) and final from repeatEnd', () => {
    const mid = mapMessage(
      giftMsg({ giftId: 463, repeatCount: 7, comboCount: 7, sendType: 4, gift: { id: 463, name: '玫瑰', diamondCount: 1, combo: true } }),
      ctx(),
    );
    expect(mid).toMatchObject({ gift: { count: 7, streak: { key: `${VIEWER.id}:463:1764000000999`, final: false } } });
    const last = mapMessage(
      giftMsg({ giftId: 463, repeatCount: 7, repeatEnd: 1, gift: { id: 463, name: '玫瑰', diamondCount: 1 } }),
      ctx(),
    );
    expect(last).toMatchObject({ gift: { count: 7, streak: { key: `${VIEWER.id}:463:1764000000999`, final: true } } });
  });

  it('fills name, diamonds and combo from the gift table; config names win over everything', () => {
    const table = new GiftTable({ '463': 'Rose (operator)' });
    table.replace(
      new Map([
        ['463', { name: '玫瑰', diamonds: 1, combo: true }],
        ['4000', { name: '跑车', diamonds: 1200 }],
      ]),
    );
    expect(mapMessage(giftMsg({ giftId: 463, repeatCount: 2, gift: { id: 463, name: '玫瑰花' } }), ctx(table))).toMatchObject({
      gift: { giftId: '463', name: 'Rose (operator)', count: 2, unitValue: 1, streak: { final: false } },
    });
    expect(mapMessage(giftMsg({ giftId: 4000, repeatCount: 1 }), ctx(table))).toMatchObject({
      gift: { giftId: '4000', name: '跑车', unitValue: 1200 },
    });
    expect(mapMessage(giftMsg({ giftId: 5, repeatCount: 1 }), ctx(table))).toMatchObject({
      gift: { giftId: '5', name: '', unitValue: 0, count: 1 },
    });
  });

  it('gift list parsing keeps exact ids only', () => {
    const parsed = parseGiftList({
      data: {
        pages: [{ gifts: [{ id: 1, name: 'a', diamond_count: 2, combo: true }] }],
        gifts: [{ id_str: '7000000000000000001', name: 'big' }, { id: 2 ** 60, name: 'lossy' }, { name: 'no id' }],
      },
    });
    expect([...parsed]).toEqual([
      ['7000000000000000001', { name: 'big' }],
      ['1', { name: 'a', diamonds: 2, combo: true }],
    ]);
    expect(parseGiftList('garbage').size).toBe(0);
  });
});

describe('hostile payloads', () => {
  it('a payload that does not decode is a malformed_payload failure, the rest still map', () => {
    const res = decodeResponse(
      response({
        messages: [
          { method: 'WebcastGiftMessage', msgId: '1', payload: Uint8Array.of(0x12, 0x80) },
          { type: 'ChatMessage', msgId: '2', fields: { content: 'ok' } },
        ],
      }),
    );
    const mapped = mapResponse(res, ctx());
    expect(mapped.events.map((e) => e.id)).toEqual(['2']);
    expect(mapped.failures.map((f) => [f.reason, f.code])).toEqual([['malformed_payload', 'douyin_decode']]);
  });

  it('random payloads under every known method map to valid events, null, or a decode error (property)', () => {
    const methods = Object.keys(DOUYIN_ROUTES);
    fc.assert(
      fc.property(fc.constantFrom(...methods), fc.uint8Array({ maxLength: 120 }), (method, payload) => {
        try {
          const event = mapMessage({ method, payload, msgId: '9', msgType: 0 }, ctx());
          return event === null || BridgeEventSchema.safeParse(event).success;
        } catch (err) {
          return err instanceof DouyinDecodeError;
        }
      }),
      { numRuns: 2000 },
    );
  });
});
