/**
 * The standard room traffic the integration tests, the capture fixture and the mapping tests
 * share: every mapped type, a gift streak with skipped and out-of-order counts and its final
 * message, 19-digit ids, CJK and emoji names, a share (ignored) and an unknown method.
 */
import type { BridgeEvent } from '../../../src/core/events.js';
import { common, user, type MessageSpec, type RawMessageSpec } from './frames.js';

export const ROOM_ID = '7653887015607454502';
export const NEW_ROOM_ID = '7653999999999999001';
export const WEB_RID = '646454278948';
export const T0 = 1_764_000_000_000;

/** A viewer with a 19-digit id, CJK + emoji name, pay grade 23 and fan club 红粉 lv 12. */
export const VIEWER = { id: '7300000000000000001', nickname: '小红🌸Ayşe', payLevel: 23, club: { name: '红粉', level: 12 } };
/** A viewer whose honour-level badge (13) wins over the pay grade (5). */
export const HONOUR_VIEWER = { id: '18446744073709551615', nickname: '薛***', payLevel: 5, honourLevel: 13 };

/** The anchor, as the receiving `toUser` of gifts (never mapped). */
const ANCHOR = { id: '93000000001', nickname: '主播小王', payLevel: 40, club: { name: '小王团', level: 20 } };

const ROSE_GROUP = '1764000000123';

function gift(msgId: string, repeatCount: number, repeatEnd: number, t: number): MessageSpec {
  return {
    type: 'GiftMessage',
    msgId,
    fields: {
      common: common('WebcastGiftMessage', msgId, ROOM_ID, t),
      giftId: 463,
      groupCount: 1,
      repeatCount,
      comboCount: repeatCount,
      user: user(VIEWER),
      toUser: user(ANCHOR),
      repeatEnd,
      fanTicketCount: repeatCount,
      logId: `gift-log-${msgId}`,
      groupId: ROSE_GROUP,
      // Name and diamonds missing in the message: they come from the gift list.
      gift: { id: 463, combo: true, diamondCount: 0, name: '' },
      sendType: 4,
    },
  };
}

/** The traffic, in the order the fake sends it (one Response). */
export function standardMessages(): (MessageSpec | RawMessageSpec)[] {
  return [
    {
      type: 'ChatMessage',
      msgId: '7653887015607454601',
      fields: {
        common: common('WebcastChatMessage', '7653887015607454601', ROOM_ID, T0 + 1),
        user: user(VIEWER),
        content: '主播好！🎉 こんにちは',
      },
    },
    {
      type: 'MemberMessage',
      msgId: '7653887015607454602',
      fields: {
        common: common('WebcastMemberMessage', '7653887015607454602', ROOM_ID, T0 + 2),
        user: user(HONOUR_VIEWER),
        memberCount: 30512,
      },
    },
    {
      type: 'LikeMessage',
      msgId: '7653887015607454603',
      fields: { common: common('WebcastLikeMessage', '7653887015607454603', ROOM_ID, T0 + 3), count: 5, total: 1024, user: user(VIEWER) },
    },
    gift('7653887015607454610', 1, 0, T0 + 10),
    gift('7653887015607454611', 2, 0, T0 + 11),
    gift('7653887015607454612', 3, 0, T0 + 12),
    gift('7653887015607454613', 5, 0, T0 + 13),
    gift('7653887015607454614', 4, 0, T0 + 14),
    gift('7653887015607454615', 5, 1, T0 + 15),
    {
      type: 'GiftMessage',
      msgId: '7653887015607454616',
      fields: {
        common: common('WebcastGiftMessage', '7653887015607454616', ROOM_ID, T0 + 16),
        giftId: 685,
        groupCount: 1,
        repeatCount: 1,
        user: user(HONOUR_VIEWER),
        toUser: user(ANCHOR),
        groupId: '0',
        gift: { id: 685, combo: false, diamondCount: 3000, name: '嘉年华' },
        sendType: 1,
      },
    },
    {
      type: 'SocialMessage',
      msgId: '7653887015607454620',
      fields: {
        common: common('WebcastSocialMessage', '7653887015607454620', ROOM_ID, T0 + 20),
        user: user(VIEWER),
        action: 1,
        followCount: 88001,
      },
    },
    {
      type: 'SocialMessage',
      msgId: '7653887015607454621',
      fields: {
        common: common('WebcastSocialMessage', '7653887015607454621', ROOM_ID, T0 + 21),
        user: user(VIEWER),
        action: 3,
        shareType: 1,
        shareTarget: '112',
      },
    },
    {
      type: 'RoomUserSeqMessage',
      msgId: '7653887015607454630',
      fields: {
        common: common('WebcastRoomUserSeqMessage', '7653887015607454630', ROOM_ID, T0 + 30),
        total: 30600,
        totalUser: 1200000,
        onlineUserForAnchor: '3.06万',
      },
    },
    // A method the bridge does not know, with a payload that would not decode: skipped unread.
    { method: 'WebcastRoomRankMessage', msgId: '7653887015607454640', payload: Uint8Array.of(0xff, 0xff, 0xff) },
  ];
}

/** The gift list the fake serves: 463 is only named here. */
export const GIFT_LIST = [
  { id: 463, name: '玫瑰', diamond_count: 1, combo: true },
  { id: 685, name: '嘉年华(list)', diamond_count: 3000, combo: false },
];

/** The events the standard traffic maps to, for source `name`. */
export function standardEvents(source: string): BridgeEvent[] {
  const viewer = { id: VIEWER.id, name: VIEWER.nickname, level: 23, badge: '红粉', badgeLevel: 12 };
  const honour = { id: HONOUR_VIEWER.id, name: HONOUR_VIEWER.nickname, level: 13, badge: '', badgeLevel: 0 };
  const base = (id: string, ts: number) => ({ id, platform: 'douyin', source, ts });
  const rose = (id: string, ts: number, count: number, final: boolean) => ({
    ...base(id, ts),
    kind: 'gift' as const,
    user: viewer,
    gift: { giftId: '463', name: '玫瑰', count, unitValue: 1, streak: { key: `${VIEWER.id}:463:1764000000123`, final } },
  });
  return [
    { ...base('7653887015607454601', T0 + 1), kind: 'comment', user: viewer, text: '主播好！🎉 こんにちは' },
    { ...base('7653887015607454602', T0 + 2), kind: 'join', user: honour },
    { ...base('7653887015607454603', T0 + 3), kind: 'like', user: viewer, count: 5 },
    rose('7653887015607454610', T0 + 10, 1, false),
    rose('7653887015607454611', T0 + 11, 2, false),
    rose('7653887015607454612', T0 + 12, 3, false),
    rose('7653887015607454613', T0 + 13, 5, false),
    rose('7653887015607454614', T0 + 14, 4, false),
    rose('7653887015607454615', T0 + 15, 5, true),
    {
      ...base('7653887015607454616', T0 + 16),
      kind: 'gift',
      user: honour,
      gift: { giftId: '685', name: '嘉年华', count: 1, unitValue: 3000 },
    },
    { ...base('7653887015607454620', T0 + 20), kind: 'follow', user: viewer },
    { ...base('7653887015607454630', T0 + 30), kind: 'viewers', count: 30600 },
  ];
}
