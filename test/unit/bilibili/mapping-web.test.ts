import { describe, expect, it } from 'vitest';
import { BridgeEventSchema, giftTotalValue } from '../../../src/core/events.js';
import { parseJsonLossless, type Obj } from '../../../adapters/bilibili/json.js';
import type { MappingContext } from '../../../adapters/bilibili/mapping-common.js';
import { mapWebCommand } from '../../../adapters/bilibili/mapping-web.js';
import { command, danmuMsg, n, pbBase64, u64 } from '../../helpers/bilibili/frames.js';

const NOW = Date.UTC(2026, 10, 24, 12, 0, 0);
const ctx = (valueMultiplier = 1): MappingContext => ({ source: 'bili-main', valueMultiplier, now: () => NOW });
const BIG_UID = '12345678901234567890';
const map = (text: string, c = ctx()) => mapWebCommand(parseJsonLossless(text) as Obj, c);
const base = { platform: 'bilibili', source: 'bili-main' };

describe('web mapping: DANMU_MSG', () => {
  it('maps a comment with uid, name, level, medal and the id_str id', () => {
    const r = map(
      danmuMsg({
        uid: BIG_UID,
        uname: '小明🌸',
        text: '主播好！🎉',
        tsMs: 1_764_000_001_234,
        idStr: '6fa9959ab8feabcd1b337aa5066768334027',
        userLevel: 21,
        medal: { level: 12, name: '猫猫团' },
      }),
    );
    expect(r.events).toEqual([
      {
        ...base,
        id: 'dm:6fa9959ab8feabcd1b337aa5066768334027',
        ts: 1_764_000_001_234,
        kind: 'comment',
        user: { id: BIG_UID, name: '小明🌸', level: 21, badge: '猫猫团', badgeLevel: 12 },
        text: '主播好！🎉',
      },
    ]);
    expect(() => BridgeEventSchema.parse(r.events[0])).not.toThrow();
  });

  it('falls back to a stable hash id without id_str, and masks nothing itself', () => {
    const text = danmuMsg({ uid: '0', uname: '提***', text: 'hi', tsMs: 1_764_000_000_000 });
    const a = map(text);
    const b = map(text);
    expect(a.events[0]!.id).toMatch(/^dm:h[0-9a-f]{24}$/);
    expect(a.events[0]!.id).toBe(b.events[0]!.id);
    expect(a.events[0]).toMatchObject({ user: { id: '0', name: '提***', level: 0, badge: '', badgeLevel: 0 } });
  });

  it('reports a malformed info array as a problem', () => {
    expect(map('{"cmd":"DANMU_MSG","info":"nope"}')).toEqual({ events: [], problem: 'bad_danmu' });
  });
});

describe('web mapping: gifts', () => {
  const gift = (over: Record<string, unknown>) =>
    command('SEND_GIFT', {
      uid: n(BIG_UID),
      uname: 'Алиса 🎁',
      giftId: 31036,
      giftName: '小花花',
      num: 1,
      price: 100,
      total_coin: 100,
      coin_type: 'gold',
      tid: '1764000000110300001',
      rnd: '1764000000110300001',
      timestamp: 1_764_000_000,
      batch_combo_id: '',
      super_gift_num: 0,
      super_batch_gift_num: 0,
      medal_info: { medal_level: 3, medal_name: '小草莓', anchor_roomid: 21452505, target_id: 1 },
      ...over,
    });

  it('maps a gold gift with its unit price in gold seeds, keyed by tid', () => {
    expect(map(gift({ num: 5 })).events).toEqual([
      {
        ...base,
        id: 'gift:1764000000110300001',
        ts: 1_764_000_000_000,
        kind: 'gift',
        user: { id: BIG_UID, name: 'Алиса 🎁', level: 0, badge: '小草莓', badgeLevel: 3 },
        gift: { giftId: '31036', name: '小花花', count: 5, unitValue: 100 },
      },
    ]);
  });

  it('applies the value multiplier (CNY) and rounds to an integer', () => {
    const e = map(gift({ num: 3, price: 1500 }), ctx(0.001)).events[0]!;
    expect(e.kind === 'gift' && e.gift.unitValue).toBe(2);
    expect(e.kind === 'gift' && giftTotalValue(e.gift)).toBe(6);
  });

  it('includes silver (free) gifts with value 0', () => {
    const e = map(gift({ coin_type: 'silver', price: 100, giftId: 1, giftName: '辣条' })).events[0]!;
    expect(e).toMatchObject({ kind: 'gift', gift: { giftId: '1', name: '辣条', count: 1, unitValue: 0 } });
  });

  it('gives combo messages the batch_combo_id streak key and the running count', () => {
    const key = `batch:gift:combo_id:${BIG_UID}:2:31036:1764000000.1234`;
    const first = map(gift({ batch_combo_id: key, super_batch_gift_num: 1, tid: 't1' })).events[0]!;
    const third = map(gift({ batch_combo_id: key, super_batch_gift_num: 3, tid: 't3' })).events[0]!;
    expect(first).toMatchObject({ id: 'gift:t1', gift: { count: 1, unitValue: 100, streak: { key, final: false } } });
    expect(third).toMatchObject({ id: 'gift:t3', gift: { count: 3, unitValue: 100, streak: { key, final: false } } });
  });

  it('never maps COMBO_SEND (it would count a combo twice)', () => {
    expect(map(command('COMBO_SEND', { uid: 1, gift_id: 31036, combo_num: 3, batch_combo_id: 'k' })).events).toEqual([]);
  });

  it('maps SEND_GIFT_V2 protobuf with several gifts to several events sharing the SEND_GIFT id space', () => {
    const pb = pbBase64('SendGiftBroadcast', {
      uid: u64(BIG_UID),
      uname: '送礼人🚀',
      guard_level: 3,
      medal_info: { target_id: u64(2), anchor_roomid: u64(21452505), medal_level: 21, medal_name: '喵' },
      gift_list: [
        {
          gift_id: u64(31036),
          gift_name: '小花花',
          num: 2,
          price: 100,
          total_coin: 200,
          coin_type: 'gold',
          tid: 'tidA',
          timestamp: 1_764_000_002,
          batch_combo_id: 'tidA',
        },
        { gift_id: u64(1), gift_name: '辣条', num: 10, price: 100, coin_type: 'silver', tid: 'tidB', timestamp: 1_764_000_002 },
        {
          gift_id: u64(31039),
          gift_name: '牛哇牛哇',
          num: 1,
          price: 1000,
          coin_type: 'gold',
          tid: 'tidC',
          timestamp: 1_764_000_003,
          super_batch_gift_num: 4,
          batch_combo_id: 'batch:gift:combo_id:x',
        },
      ],
    });
    const user = { id: BIG_UID, name: '送礼人🚀', level: 0, badge: '喵', badgeLevel: 21 };
    expect(map(command('SEND_GIFT_V2', { dmscore: 112, pb })).events).toEqual([
      {
        ...base,
        id: 'gift:tidA',
        ts: 1_764_000_002_000,
        kind: 'gift',
        user,
        gift: { giftId: '31036', name: '小花花', count: 2, unitValue: 100 },
      },
      { ...base, id: 'gift:tidB', ts: 1_764_000_002_000, kind: 'gift', user, gift: { giftId: '1', name: '辣条', count: 10, unitValue: 0 } },
      {
        ...base,
        id: 'gift:tidC',
        ts: 1_764_000_003_000,
        kind: 'gift',
        user,
        gift: { giftId: '31039', name: '牛哇牛哇', count: 4, unitValue: 1000, streak: { key: 'batch:gift:combo_id:x', final: false } },
      },
    ]);
  });

  it('reports undecodable protobuf', () => {
    expect(map(command('SEND_GIFT_V2', { pb: '!!notbase64!!' }))).toEqual({ events: [], problem: 'bad_protobuf' });
    expect(map(command('SEND_GIFT_V2', { pb: Buffer.from([0x0a, 0xff, 0xff]).toString('base64') }))).toEqual({
      events: [],
      problem: 'bad_protobuf',
    });
  });

  it('maps SUPER_CHAT_MESSAGE to a gift priced in CNY × 1000 plus its text as a comment', () => {
    const r = map(
      command('SUPER_CHAT_MESSAGE', {
        id: 10_943_210,
        uid: 42,
        price: 30,
        message: '加油💪',
        start_time: 1_764_000_010,
        gift: { gift_id: 12000, gift_name: '醒目留言' },
        user_info: { uname: '超级粉丝', user_level: 30, guard_level: 3 },
        medal_info: { medal_name: '喵', medal_level: 20 },
      }),
    );
    const user = { id: '42', name: '超级粉丝', level: 30, badge: '喵', badgeLevel: 20 };
    expect(r.events).toEqual([
      {
        ...base,
        id: 'sc:10943210',
        ts: 1_764_000_010_000,
        kind: 'gift',
        user,
        gift: { giftId: '12000', name: '醒目留言', count: 1, unitValue: 30_000 },
      },
      { ...base, id: 'sc:10943210:text', ts: 1_764_000_010_000, kind: 'comment', user, text: '加油💪' },
    ]);
  });

  it('maps GUARD_BUY to a gift with its price and an id made of its stable fields', () => {
    const text = command('GUARD_BUY', {
      uid: 77,
      username: '舰长大人',
      guard_level: 3,
      num: 2,
      price: 198_000,
      gift_id: 10003,
      gift_name: '舰长',
      start_time: 1_764_000_020,
      end_time: 1_764_000_020,
    });
    const r = map(text);
    expect(r.events).toEqual([
      {
        ...base,
        id: 'guard:77:3:2:1764000020:10003',
        ts: 1_764_000_020_000,
        kind: 'gift',
        user: { id: '77', name: '舰长大人', level: 0, badge: '', badgeLevel: 0 },
        gift: { giftId: '10003', name: '舰长', count: 2, unitValue: 198_000 },
      },
    ]);
    expect(map(text).events[0]!.id).toBe(r.events[0]!.id);
  });
});

describe('web mapping: interactions, likes, viewers, status', () => {
  const interact = (msg_type: number) =>
    command('INTERACT_WORD_V2', {
      dmscore: 4,
      pb: pbBase64('InteractWordV2', {
        uid: u64(BIG_UID),
        uname: '路人甲🐱',
        msg_type,
        room_id: u64(21452505),
        timestamp: 1_764_000_030,
        fans_medal: { medal_level: 5, medal_name: '团子' },
      }),
    });
  const who = { id: BIG_UID, name: '路人甲🐱', level: 0, badge: '团子', badgeLevel: 5 };

  it('maps msg_type 1 to join and 2/4/5 to follow; share and like types to nothing', () => {
    expect(map(interact(1)).events).toEqual([
      { ...base, id: `enter:${BIG_UID}:1:1764000030`, ts: 1_764_000_030_000, kind: 'join', user: who },
    ]);
    for (const t of [2, 4, 5])
      expect(map(interact(t)).events).toEqual([
        { ...base, id: `follow:${BIG_UID}:${t}:1764000030`, ts: 1_764_000_030_000, kind: 'follow', user: who },
      ]);
    expect(map(interact(3)).events).toEqual([]);
    expect(map(interact(6)).events).toEqual([]);
    expect(map(interact(1)).events[0]!.id).toBe(map(interact(1)).events[0]!.id);
  });

  it('maps LIKE_INFO_V3_CLICK to one like, id bucketed by 5 s of receive time', () => {
    const text = command('LIKE_INFO_V3_CLICK', {
      uid: 9,
      uname: 'Liker',
      like_text: '为主播点赞了',
      fans_medal: { medal_name: '星', medal_level: 2 },
    });
    expect(map(text).events).toEqual([
      {
        ...base,
        id: `like:9:${Math.floor(NOW / 5000)}`,
        ts: NOW,
        kind: 'like',
        user: { id: '9', name: 'Liker', level: 0, badge: '星', badgeLevel: 2 },
        count: 1,
      },
    ]);
  });

  it('maps ONLINE_RANK_COUNT to viewers, preferring the uncapped online_count', () => {
    expect(
      map(command('ONLINE_RANK_COUNT', { count: 10001, count_text: '1万+', online_count: 415011, online_count_text: '41万+' })).events,
    ).toEqual([{ ...base, id: `viewers:415011:${Math.floor(NOW / 1000)}`, ts: NOW, kind: 'viewers', count: 415011 }]);
    expect(map(command('ONLINE_RANK_COUNT', { count: 999 })).events[0]).toMatchObject({ count: 999 });
  });

  it('turns PREPARING, LIVE and CUT_OFF into status changes', () => {
    expect(map('{"cmd":"PREPARING","roomid":"21452505"}')).toEqual({
      events: [],
      status: { state: 'offline', reason: 'the broadcast ended (PREPARING)' },
    });
    expect(map('{"cmd":"LIVE","live_key":"1","roomid":21452505}')).toEqual({ events: [], status: { state: 'live' } });
    expect(map('{"cmd":"CUT_OFF","msg":"违规"}').status).toEqual({ state: 'offline', reason: 'the broadcast was cut off: 违规' });
  });

  it('ignores unknown commands and reports commands without data', () => {
    expect(map(command('WATCHED_CHANGE', { num: 5 }))).toEqual({ events: [] });
    expect(map('{"cmd":"SEND_GIFT"}')).toEqual({ events: [], problem: 'no_data' });
    expect(map('{"nocmd":1}')).toEqual({ events: [], problem: 'no_cmd' });
  });
});

describe('web mapping: ids for masked viewers', () => {
  it('adds the masked name to stable-field ids when the uid is 0', () => {
    const join = (uname: string) =>
      command('INTERACT_WORD_V2', { pb: pbBase64('InteractWordV2', { uid: u64(0), uname, msg_type: 1, timestamp: 1_764_000_040 }) });
    expect(map(join('提***')).events[0]!.id).toBe('enter:0:1:1764000040:提***');
    expect(map(join('小***')).events[0]!.id).toBe('enter:0:1:1764000040:小***');
    expect(map(command('LIKE_INFO_V3_CLICK', { uid: 0, uname: '猫***' })).events[0]!.id).toBe(`like:0:${Math.floor(NOW / 5000)}:猫***`);
  });
});
