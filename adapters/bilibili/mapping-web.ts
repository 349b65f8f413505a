/**
 * Web-socket commands → BridgeEvents (the field-by-field table is in docs/platforms/bilibili.md).
 * Commands the bridge does not use map to nothing; a command it uses but cannot read maps to a
 * problem (counted as a discard).
 */
import type { BridgeEvent, GiftEvent } from '../../src/core/events.js';
import { arr, idStr, int, obj, str, toMs, type Obj } from './json.js';
import {
  GOLD_PER_CNY,
  goldValue,
  GUARD_NAMES,
  hashId,
  mapByRoute,
  NOTHING,
  PLATFORM,
  platformId,
  user,
  whole,
  withData,
  withPb,
  type MapResult,
  type MappingContext,
} from './mapping-common.js';

const DEFAULTS = {
  /** LIKE_INFO_V3_CLICK carries no id or time; the platform sends at most one per user per 5 s. */
  likeBucketMs: 5_000,
} as const;

/** INTERACT_WORD_V2 msg_type values. */
const INTERACT = { enter: 1, follow: 2, specialFollow: 4, mutualFollow: 5 } as const;

const ID_STR = /"id_str":"([0-9A-Za-z_-]{1,128})"/;

/**
 * Masked viewers all have uid 0: their (masked) name keeps two of them apart in an id made of
 * stable fields. Real uids need no name.
 */
function anonymousTail(uid: string, name: string): string {
  if (uid !== '' && uid !== '0') return '';
  return name.length <= 64 ? `:${name}` : `:${hashId('n', [name])}`;
}

function danmu(cmd: Obj, ctx: MappingContext): MapResult {
  const info = cmd.info;
  if (!Array.isArray(info) || !Array.isArray(info[0]) || typeof info[1] !== 'string' || !Array.isArray(info[2]))
    return { events: [], problem: 'bad_danmu' };
  const meta = info[0] as unknown[];
  const who = info[2] as unknown[];
  const medal = arr(info[3]);
  const uid = idStr(who[0]);
  const ts = toMs(meta[4], ctx.now());
  const extra = obj(meta[15]).extra;
  // `extra` is a JSON string of ~40 fields; only id_str is needed, so it is read without parsing the rest.
  const idStrValue = typeof extra === 'string' ? (ID_STR.exec(extra)?.[1] ?? '') : '';
  const id = idStrValue ? `dm:${idStrValue}` : hashId('dm', [uid, str(who[1]), ts, str(meta[5]), info[1]]);
  const u = user(uid, str(who[1]), int(arr(info[4])[0]), str(medal[1]), int(medal[0]));
  return { events: [{ id, platform: PLATFORM, source: ctx.source, ts, kind: 'comment', user: u, text: info[1] }] };
}

function giftUnit(coinType: string, price: number, ctx: MappingContext): number {
  return coinType === 'gold' ? goldValue(price, ctx.valueMultiplier) : 0;
}

function sendGift(data: Obj, ctx: MappingContext): MapResult {
  const giftId = idStr(data.giftId);
  const num = int(data.num);
  if (!giftId || num < 1) return { events: [], problem: 'bad_gift' };
  const uid = idStr(data.uid);
  const ts = toMs(data.timestamp, ctx.now());
  const tid = str(data.tid) || str(data.rnd);
  const id = tid ? platformId('gift', tid) : hashId('gift', [uid, giftId, num, ts, str(data.batch_combo_id)]);
  const medal = obj(data.medal_info);
  const comboId = str(data.batch_combo_id);
  const running = Math.max(num, int(data.super_batch_gift_num) || int(data.super_gift_num));
  const event: GiftEvent = {
    id,
    platform: PLATFORM,
    source: ctx.source,
    ts,
    kind: 'gift',
    user: user(uid, str(data.uname), 0, str(medal.medal_name), int(medal.medal_level)),
    gift: comboId
      ? {
          giftId,
          name: str(data.giftName),
          count: running,
          unitValue: giftUnit(str(data.coin_type), int(data.price), ctx),
          streak: { key: comboId, final: false },
        }
      : { giftId, name: str(data.giftName), count: num, unitValue: giftUnit(str(data.coin_type), int(data.price), ctx) },
  };
  return { events: [event] };
}

function sendGiftV2(pb: Obj, ctx: MappingContext): MapResult {
  const medal = obj(pb.medal_info);
  const uid = idStr(pb.uid) || '0';
  const u = user(uid, str(pb.uname), 0, str(medal.medal_name), int(medal.medal_level));
  const events: BridgeEvent[] = [];
  for (const raw of arr(pb.gift_list)) {
    const g = obj(raw);
    const giftId = idStr(g.gift_id);
    const num = int(g.num);
    if (!giftId || num < 1) continue;
    const ts = toMs(g.timestamp, ctx.now());
    const tid = str(g.tid);
    const id = tid ? platformId('gift', tid) : hashId('gift', [uid, giftId, num, ts]);
    // blivedm reads field 12 as `rnd` (equal to tid); only a different value is a combo id.
    const comboId = str(g.batch_combo_id);
    const unitValue = giftUnit(str(g.coin_type), int(g.price), ctx);
    const name = str(g.gift_name);
    const gift =
      comboId && comboId !== tid
        ? { giftId, name, count: Math.max(num, int(g.super_batch_gift_num)), unitValue, streak: { key: comboId, final: false } }
        : { giftId, name, count: num, unitValue };
    events.push({ id, platform: PLATFORM, source: ctx.source, ts, kind: 'gift', user: u, gift });
  }
  return events.length > 0 ? { events } : { events: [], problem: 'bad_gift' };
}

function superChat(data: Obj, ctx: MappingContext): MapResult {
  const scId = idStr(data.id);
  const cny = Number(data.price);
  if (!Number.isFinite(cny) || cny <= 0) return { events: [], problem: 'bad_super_chat' };
  const info = obj(data.user_info);
  const medal = obj(data.medal_info);
  const uid = idStr(data.uid);
  const ts = toMs(data.start_time ?? data.ts, ctx.now());
  const id = scId ? `sc:${scId}` : hashId('sc', [uid, cny, ts, str(data.message)]);
  const u = user(uid, str(info.uname), int(info.user_level), str(medal.medal_name), int(medal.medal_level));
  const g = obj(data.gift);
  const events: BridgeEvent[] = [
    {
      id,
      platform: PLATFORM,
      source: ctx.source,
      ts,
      kind: 'gift',
      user: u,
      gift: {
        giftId: idStr(g.gift_id) || 'super_chat',
        name: str(g.gift_name) || '醒目留言',
        count: 1,
        unitValue: goldValue(cny * GOLD_PER_CNY, ctx.valueMultiplier),
      },
    },
  ];
  // A super chat is a paid comment: its text goes to the host as a comment too.
  if (str(data.message))
    events.push({ id: `${id}:text`, platform: PLATFORM, source: ctx.source, ts, kind: 'comment', user: u, text: str(data.message) });
  return { events };
}

function guardBuy(data: Obj, ctx: MappingContext): MapResult {
  const level = int(data.guard_level);
  const num = Math.max(1, int(data.num));
  const price = int(data.price);
  if (level < 1 || price < 1) return { events: [], problem: 'bad_guard' };
  const uid = idStr(data.uid);
  const ts = toMs(data.start_time, ctx.now());
  const giftId = idStr(data.gift_id) || `guard-${level}`;
  const id = `guard:${uid}:${level}:${num}:${str(data.start_time)}:${giftId}`;
  const name = str(data.gift_name) || GUARD_NAMES[level] || '大航海';
  return {
    events: [
      {
        id,
        platform: PLATFORM,
        source: ctx.source,
        ts,
        kind: 'gift',
        user: user(uid, str(data.username)),
        gift: { giftId, name, count: num, unitValue: goldValue(price, ctx.valueMultiplier) },
      },
    ],
  };
}

function interactWord(pb: Obj, ctx: MappingContext): MapResult {
  const type = int(pb.msg_type);
  const kind =
    type === INTERACT.enter
      ? 'join'
      : type === INTERACT.follow || type === INTERACT.specialFollow || type === INTERACT.mutualFollow
        ? 'follow'
        : undefined;
  if (!kind) return NOTHING;
  const uid = idStr(pb.uid) || '0';
  const ts = toMs(pb.timestamp, ctx.now());
  const medal = obj(pb.fans_medal);
  const id = `${kind === 'join' ? 'enter' : 'follow'}:${uid}:${type}:${str(pb.timestamp) || Math.floor(ctx.now() / 1000)}${anonymousTail(uid, str(pb.uname))}`;
  return {
    events: [
      {
        id,
        platform: PLATFORM,
        source: ctx.source,
        ts,
        kind,
        user: user(uid, str(pb.uname), 0, str(medal.medal_name), int(medal.medal_level)),
      },
    ],
  };
}

function likeClick(data: Obj, ctx: MappingContext): MapResult {
  const uid = idStr(data.uid);
  if (!uid) return { events: [], problem: 'bad_like' };
  const now = ctx.now();
  const medal = obj(data.fans_medal);
  const id = `like:${uid}:${Math.floor(now / DEFAULTS.likeBucketMs)}${anonymousTail(uid, str(data.uname))}`;
  return {
    events: [
      {
        id,
        platform: PLATFORM,
        source: ctx.source,
        ts: now,
        kind: 'like',
        user: user(uid, str(data.uname), 0, str(medal.medal_name), int(medal.medal_level)),
        count: 1,
      },
    ],
  };
}

function onlineRank(data: Obj, ctx: MappingContext): MapResult {
  const raw = data.online_count ?? data.count;
  if (raw === undefined) return { events: [], problem: 'bad_viewers' };
  const count = int(raw);
  const now = ctx.now();
  return {
    events: [{ id: `viewers:${count}:${Math.floor(now / 1000)}`, platform: PLATFORM, source: ctx.source, ts: now, kind: 'viewers', count }],
  };
}

/** Command → route: the commands the bridge reads; every other one maps to nothing. */
export const WEB_ROUTES = {
  DANMU_MSG: whole(danmu),
  LIVE: whole(() => ({ events: [], status: { state: 'live' } })),
  PREPARING: whole(() => ({ events: [], status: { state: 'offline', reason: 'the broadcast ended (PREPARING)' } })),
  CUT_OFF: whole((cmd) => ({
    events: [],
    status: { state: 'offline', reason: `the broadcast was cut off: ${str(cmd.msg).slice(0, 100)}` },
  })),
  SEND_GIFT: withData(sendGift),
  SEND_GIFT_V2: withPb('SendGiftBroadcast', sendGiftV2),
  SUPER_CHAT_MESSAGE: withData(superChat),
  GUARD_BUY: withData(guardBuy),
  INTERACT_WORD_V2: withPb('InteractWordV2', interactWord),
  LIKE_INFO_V3_CLICK: withData(likeClick),
  ONLINE_RANK_COUNT: withData(onlineRank),
} as const;

/** Maps one web command object (`{cmd, data | info, ...}`). */
export function mapWebCommand(cmd: Obj, ctx: MappingContext): MapResult {
  return mapByRoute(WEB_ROUTES, cmd, ctx);
}
