/**
 * The standard TikTok room traffic shared by the mapping tests, the fake room and the e2e test:
 * every mapped type, a type-1 streak with skipped and out-of-order counts closed by repeatEnd, a
 * single Rose that fires twice, a type-2 gift with repeatEnd 0, a follow and a share told apart by
 * their display-text keys, a subscription, a history replay (not reported), ids above 2^63, CJK,
 * RTL and emoji names, and an unknown method with an undecodable payload (skipped unread).
 */
import type { BridgeEvent } from '../../../src/core/events.js';
import { common, user, type MessageSpec, type RawMessageSpec } from './frames.js';

export const ROOM_ID = '7412345678901234567';
export const NEW_ROOM_ID = '7412399999999999001';
export const HANDLE = 'shop.host';
export const T0 = 1_764_000_000_000;

/** A viewer with an id above 2^63, grade 23, fan club "Rosé Club" lv 12. */
export const VIEWER = {
  id: '18446744073709551615',
  nickname: 'Zoë 🌹 مرحبا',
  handle: 'zoe.rose',
  grade: 23,
  club: { name: 'Rosé Club', level: 12 },
};
/** A viewer known only by idStr (field 1 absent), no grade badge, no club. */
export const QUIET = { id: '9223372036854775809', nickname: '小明', handle: 'xiaoming', idOnlyAsString: true };
const ANCHOR = { id: '6900000000000000001', nickname: 'Host', handle: 'shop.host', grade: 40 };

const ROSE_STREAK_GROUP = '9300000000000000777';
const SINGLE_ROSE_GROUP = '9300000000000000888';
const LION_GROUP = '9300000000000000999';

const msgId = (n: number) => String(9_300_000_000_000_000_000n + BigInt(n));

/** The traffic, in the order the fake sends it (one Response). */
export function standardMessages(t0: number = T0): (MessageSpec | RawMessageSpec)[] {
  function m(type: string, n: number, t: number, fields: Record<string, unknown>, displayKey = ''): MessageSpec {
    return { type, msgId: msgId(n), fields: { common: common(`Webcast${type}`, msgId(n), ROOM_ID, t0 + t, displayKey), ...fields } };
  }

  function rose(n: number, from: typeof VIEWER | typeof QUIET, repeatCount: number, repeatEnd: number, group: string): MessageSpec {
    return m('GiftMessage', n, n, {
      repeatCount,
      comboCount: repeatCount,
      groupCount: 1,
      user: user(from),
      toUser: user(ANCHOR),
      repeatEnd,
      groupId: group,
      logId: `log-${n}`,
      sendType: 1,
      gift: { id: 5655, type: 1, combo: true, diamondCount: 1, name: 'Rose' },
    });
  }

  return [
    { ...m('ChatMessage', 1, 1, { user: user(VIEWER), content: 'an old comment' }), isHistory: true },
    m('ChatMessage', 2, 2, { user: user(VIEWER), content: 'hello 👋 主播好', contentLanguage: 'en' }),
    m('MemberMessage', 3, 3, { user: user(QUIET), memberCount: 5012, action: 1 }),
    m('LikeMessage', 4, 4, { user: user(VIEWER), count: 15, total: 100_000 }),
    m('LikeMessage', 5, 5, { user: user(VIEWER), count: 0, total: 100_000 }),
    rose(10, VIEWER, 1, 0, ROSE_STREAK_GROUP),
    rose(11, VIEWER, 2, 0, ROSE_STREAK_GROUP),
    rose(12, VIEWER, 3, 0, ROSE_STREAK_GROUP),
    rose(13, VIEWER, 5, 0, ROSE_STREAK_GROUP),
    rose(14, VIEWER, 4, 0, ROSE_STREAK_GROUP),
    rose(15, VIEWER, 5, 1, ROSE_STREAK_GROUP),
    rose(16, QUIET, 1, 0, SINGLE_ROSE_GROUP),
    rose(17, QUIET, 1, 1, SINGLE_ROSE_GROUP),
    // A type-2 gift: once, repeatEnd 0, legacy giftId only in field 2 of older schemas (here both).
    m('GiftMessage', 20, 20, {
      giftId: 6369,
      repeatCount: 1,
      user: user(VIEWER),
      toUser: user(ANCHOR),
      repeatEnd: 0,
      groupId: LION_GROUP,
      gift: { id: 6369, type: 2, combo: false, diamondCount: 29999, name: 'Lion' },
    }),
    m('SocialMessage', 30, 30, { user: user(VIEWER), action: 1, followCount: 1201 }, 'pm_main_follow_message_viewer_2'),
    m('SocialMessage', 31, 31, { user: user(QUIET), action: 3, shareType: 1, shareTarget: '1', shareCount: 7 }, 'pm_mt_guidance_share'),
    m('SubNotifyMessage', 40, 40, { user: user(QUIET), subMonth: 3, subscribeType: 1 }),
    m('RoomUserSeqMessage', 50, 50, { total: 4321, totalUser: 99_000, popularity: 12 }),
    { method: 'WebcastRankUpdateMessage', msgId: msgId(60), payload: Uint8Array.of(0xff, 0xff, 0xff) },
  ];
}

/** The users as the bridge reports them. */
export const VIEWER_USER = { id: VIEWER.id, name: VIEWER.nickname, level: 23, badge: 'Rosé Club', badgeLevel: 12 };
export const QUIET_USER = { id: QUIET.id, name: QUIET.nickname, level: 0, badge: '', badgeLevel: 0 };

/** What the adapter emits for the standard traffic, source `source`, before the pipeline folds streaks. */
export function standardEvents(source: string, t0: number = T0): BridgeEvent[] {
  const base = (n: number) => ({ id: msgId(n), platform: 'tiktok', source, ts: t0 + n });
  const roseEvent = (n: number, who: typeof VIEWER_USER, count: number, final: boolean, group: string): BridgeEvent => ({
    ...base(n),
    kind: 'gift',
    user: who,
    gift: { giftId: '5655', name: 'Rose', count, unitValue: 1, streak: { key: `${who.id}:5655:${group}`, final } },
  });
  return [
    { ...base(2), kind: 'comment', user: VIEWER_USER, text: 'hello 👋 主播好' },
    { ...base(3), kind: 'join', user: QUIET_USER },
    { ...base(4), kind: 'like', user: VIEWER_USER, count: 15 },
    roseEvent(10, VIEWER_USER, 1, false, ROSE_STREAK_GROUP),
    roseEvent(11, VIEWER_USER, 2, false, ROSE_STREAK_GROUP),
    roseEvent(12, VIEWER_USER, 3, false, ROSE_STREAK_GROUP),
    roseEvent(13, VIEWER_USER, 5, false, ROSE_STREAK_GROUP),
    roseEvent(14, VIEWER_USER, 4, false, ROSE_STREAK_GROUP),
    roseEvent(15, VIEWER_USER, 5, true, ROSE_STREAK_GROUP),
    roseEvent(16, QUIET_USER, 1, false, SINGLE_ROSE_GROUP),
    roseEvent(17, QUIET_USER, 1, true, SINGLE_ROSE_GROUP),
    {
      ...base(20),
      kind: 'gift',
      user: VIEWER_USER,
      gift: { giftId: '6369', name: 'Lion', count: 1, unitValue: 29999, streak: { key: `${VIEWER.id}:6369:${LION_GROUP}`, final: true } },
    },
    { ...base(30), kind: 'follow', user: VIEWER_USER },
    { ...base(40), kind: 'subscribe', user: QUIET_USER, subscription: { tier: '', months: 3 } },
    { ...base(50), kind: 'viewers', count: 4321 },
  ];
}
