import { describe, expect, it } from 'vitest';
import { parseJsonLossless, type Obj } from '../../../adapters/bilibili/json.js';
import { hashId, type MappingContext } from '../../../adapters/bilibili/mapping-common.js';
import { mapOpenCommand } from '../../../adapters/bilibili/open/mapping.js';
import { command } from '../../helpers/bilibili/frames.js';

const NOW = Date.UTC(2026, 10, 24, 12, 0, 0);
const ctx: MappingContext = { source: 'bili-open', valueMultiplier: 1, now: () => NOW };
const map = (text: string, gameId = 'game-1') => mapOpenCommand(parseJsonLossless(text) as Obj, ctx, gameId);
const base = { platform: 'bilibili', source: 'bili-open' };
const OPEN_ID = '39b8fedb-60a5-4e29-ac75-b16955f7e632';
const who = {
  open_id: OPEN_ID,
  union_id: '',
  uname: '开放用户🌟',
  uface: 'https://i0.hdslb.com/f.jpg',
  fans_medal_name: '喵喵',
  fans_medal_level: 7,
  fans_medal_wearing_status: true,
  guard_level: 0,
  room_id: 21452505,
};
const user = { id: OPEN_ID, name: '开放用户🌟', level: 0, badge: '喵喵', badgeLevel: 7 };

describe('open platform mapping', () => {
  it('maps LIVE_OPEN_PLATFORM_DM to a comment with glory level and msg_id', () => {
    expect(
      map(
        command('LIVE_OPEN_PLATFORM_DM', {
          ...who,
          msg: '你好，主播！',
          msg_id: 'dm-msg-1',
          timestamp: 1_764_000_000,
          glory_level: 12,
          dm_type: 0,
        }),
      ).events,
    ).toEqual([
      { ...base, id: 'open:dm-msg-1', ts: 1_764_000_000_000, kind: 'comment', user: { ...user, level: 12 }, text: '你好，主播！' },
    ]);
  });

  it('maps paid gifts at r_price, free gifts at 0, and combos with their running count', () => {
    const gift = (over: Record<string, unknown>) =>
      command('LIVE_OPEN_PLATFORM_SEND_GIFT', {
        ...who,
        gift_id: 31036,
        gift_name: '小花花',
        gift_num: 1,
        price: 100,
        r_price: 100,
        paid: true,
        timestamp: 1_764_000_001,
        msg_id: 'g-1',
        anchor_info: { uid: 2, open_id: 'a', uname: 'anchor' },
        ...over,
      });
    expect(map(gift({ gift_num: 3 })).events).toEqual([
      {
        ...base,
        id: 'open:g-1',
        ts: 1_764_000_001_000,
        kind: 'gift',
        user,
        gift: { giftId: '31036', name: '小花花', count: 3, unitValue: 100 },
      },
    ]);
    expect(map(gift({ paid: false, price: 100, r_price: 0 })).events[0]).toMatchObject({ gift: { unitValue: 0 } });
    expect(
      map(gift({ combo_gift: true, combo_info: { combo_base_num: 1, combo_count: 5, combo_id: 'combo-9', combo_timeout: 3 } })).events[0],
    ).toMatchObject({ gift: { count: 5, streak: { key: 'combo-9', final: false } } });
  });

  it('maps GUARD to a gift named after the level and SUPER_CHAT to a gift in CNY × 1000 plus a comment', () => {
    expect(
      map(
        command('LIVE_OPEN_PLATFORM_GUARD', {
          user_info: { open_id: OPEN_ID, uname: '开放用户🌟' },
          guard_level: 2,
          guard_num: 1,
          guard_unit: '月',
          price: 1_998_000,
          fans_medal_name: '喵喵',
          fans_medal_level: 7,
          msg_id: 'gd-1',
          timestamp: 1_764_000_002,
        }),
      ).events,
    ).toEqual([
      {
        ...base,
        id: 'open:gd-1',
        ts: 1_764_000_002_000,
        kind: 'gift',
        user,
        gift: { giftId: 'guard-2', name: '提督', count: 1, unitValue: 1_998_000 },
      },
    ]);
    expect(
      map(
        command('LIVE_OPEN_PLATFORM_SUPER_CHAT', {
          ...who,
          message_id: 7,
          message: '冲冲冲',
          rmb: 50,
          timestamp: 1_764_000_003,
          msg_id: 'sc-1',
        }),
      ).events,
    ).toEqual([
      {
        ...base,
        id: 'open:sc-1',
        ts: 1_764_000_003_000,
        kind: 'gift',
        user,
        gift: { giftId: 'super_chat', name: '醒目留言', count: 1, unitValue: 50_000 },
      },
      { ...base, id: 'open:sc-1:text', ts: 1_764_000_003_000, kind: 'comment', user, text: '冲冲冲' },
    ]);
  });

  it('maps LIKE and LIVE_ROOM_ENTER; without msg_id the id is a stable hash', () => {
    expect(
      map(
        command('LIVE_OPEN_PLATFORM_LIKE', { ...who, like_text: '为主播点赞了', like_count: 8, timestamp: 1_764_000_004, msg_id: 'lk-1' }),
      ).events,
    ).toEqual([{ ...base, id: 'open:lk-1', ts: 1_764_000_004_000, kind: 'like', user, count: 8 }]);
    expect(map(command('LIVE_OPEN_PLATFORM_LIVE_ROOM_ENTER', { ...who, timestamp: 1_764_000_005 })).events).toEqual([
      { ...base, id: hashId('open-enter', [OPEN_ID, 1_764_000_005_000]), ts: 1_764_000_005_000, kind: 'join', user },
    ]);
  });

  it('turns LIVE_START/LIVE_END into states and INTERACTION_END of this game into a restart', () => {
    expect(map(command('LIVE_OPEN_PLATFORM_LIVE_START', { room_id: 1, title: 't' })).status).toEqual({ state: 'live' });
    expect(map(command('LIVE_OPEN_PLATFORM_LIVE_END', { room_id: 1 })).status).toEqual({
      state: 'offline',
      reason: 'the broadcast ended (LIVE_END)',
    });
    expect(map(command('LIVE_OPEN_PLATFORM_INTERACTION_END', { game_id: 'game-1' })).status).toEqual({
      state: 'restart',
      reason: 'the platform ended the session (INTERACTION_END)',
    });
    expect(map(command('LIVE_OPEN_PLATFORM_INTERACTION_END', { game_id: 'old-game' }))).toEqual({ events: [] });
  });

  it('reports unreadable messages', () => {
    expect(map(command('LIVE_OPEN_PLATFORM_DM', { ...who, msg: 5 })).problem).toBe('bad_danmu');
    expect(map(command('LIVE_OPEN_PLATFORM_SEND_GIFT', { ...who, gift_num: 0 })).problem).toBe('bad_gift');
  });
});
