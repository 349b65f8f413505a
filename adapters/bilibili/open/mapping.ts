/**
 * Open-platform commands (LIVE_OPEN_PLATFORM_*) → BridgeEvents. Users are open_ids (per app),
 * not uids; every message carries a `msg_id`, used as the event id under an `open:` prefix.
 */
import type { BridgeEvent } from '../../../src/core/events.js';
import { idStr, int, obj, str, toMs, type Obj } from '../json.js';
import {
  GOLD_PER_CNY,
  goldValue,
  GUARD_NAMES,
  hashId,
  mapByRoute,
  NOTHING,
  PLATFORM,
  platformId,
  safeProduct,
  user,
  whole,
  withData,
  type MapResult,
  type MappingContext,
} from '../mapping-common.js';

/** The open platform's mapping context: the running session's game id too. */
export interface OpenMappingContext extends MappingContext {
  /** An INTERACTION_END for this game means the platform stopped pushing. */
  gameId: string;
}

function base(id: string, ts: number, ctx: MappingContext) {
  return { id, platform: PLATFORM, source: ctx.source, ts };
}

/** `open:<msg_id>`, or a hash of the stable fields when msg_id is missing (the debug tool omits it). */
function eventId(kind: string, data: Obj, parts: readonly (string | number)[]): string {
  const msgId = str(data.msg_id);
  return msgId ? platformId('open', msgId) : hashId(`open-${kind}`, parts);
}

function sender(data: Obj, level = 0) {
  return user(str(data.open_id), str(data.uname), level, str(data.fans_medal_name), int(data.fans_medal_level));
}

function dm(data: Obj, ctx: MappingContext): MapResult {
  if (typeof data.msg !== 'string') return { events: [], problem: 'bad_danmu' };
  const ts = toMs(data.timestamp, ctx.now());
  const id = eventId('dm', data, [str(data.open_id), ts, data.msg]);
  return { events: [{ ...base(id, ts, ctx), kind: 'comment', user: sender(data, int(data.glory_level)), text: data.msg }] };
}

function gift(data: Obj, ctx: MappingContext): MapResult {
  const giftId = idStr(data.gift_id);
  const num = int(data.gift_num);
  if (!giftId || num < 1) return { events: [], problem: 'bad_gift' };
  const ts = toMs(data.timestamp, ctx.now());
  const id = eventId('gift', data, [str(data.open_id), giftId, num, ts]);
  // Free gifts can carry a silver price; only paid gifts have value. r_price is the price paid.
  const unitValue = data.paid === true ? goldValue(int(data.r_price) || int(data.price), ctx.valueMultiplier) : 0;
  const combo = obj(data.combo_info);
  const comboId = str(combo.combo_id);
  const running = safeProduct(int(combo.combo_base_num), int(combo.combo_count));
  const name = str(data.gift_name);
  const g =
    data.combo_gift === true && comboId
      ? { giftId, name, count: Math.max(num, running), unitValue, streak: { key: comboId, final: false } }
      : { giftId, name, count: num, unitValue };
  return { events: [{ ...base(id, ts, ctx), kind: 'gift', user: sender(data), gift: g }] };
}

function guard(data: Obj, ctx: MappingContext): MapResult {
  const level = int(data.guard_level);
  const price = int(data.price);
  if (level < 1 || price < 1) return { events: [], problem: 'bad_guard' };
  const info = obj(data.user_info);
  const ts = toMs(data.timestamp, ctx.now());
  const num = Math.max(1, int(data.guard_num));
  const id = eventId('guard', data, [str(info.open_id), level, num, ts]);
  const u = user(str(info.open_id), str(info.uname), 0, str(data.fans_medal_name), int(data.fans_medal_level));
  return {
    events: [
      {
        ...base(id, ts, ctx),
        kind: 'gift',
        user: u,
        gift: {
          giftId: `guard-${level}`,
          name: GUARD_NAMES[level] ?? '大航海',
          count: num,
          unitValue: goldValue(price, ctx.valueMultiplier),
        },
      },
    ],
  };
}

function superChat(data: Obj, ctx: MappingContext): MapResult {
  const rmb = Number(data.rmb);
  if (!Number.isFinite(rmb) || rmb <= 0) return { events: [], problem: 'bad_super_chat' };
  const ts = toMs(data.timestamp, ctx.now());
  const id = eventId('sc', data, [str(data.open_id), str(data.message_id), ts]);
  const u = sender(data);
  const events: BridgeEvent[] = [
    {
      ...base(id, ts, ctx),
      kind: 'gift',
      user: u,
      gift: { giftId: 'super_chat', name: '醒目留言', count: 1, unitValue: goldValue(rmb * GOLD_PER_CNY, ctx.valueMultiplier) },
    },
  ];
  if (str(data.message)) events.push({ ...base(`${id}:text`, ts, ctx), kind: 'comment', user: u, text: str(data.message) });
  return { events };
}

function like(data: Obj, ctx: MappingContext): MapResult {
  const count = int(data.like_count);
  if (count < 1) return { events: [], problem: 'bad_like' };
  const ts = toMs(data.timestamp, ctx.now());
  const id = eventId('like', data, [str(data.open_id), ts, count]);
  return { events: [{ ...base(id, ts, ctx), kind: 'like', user: sender(data), count }] };
}

function enter(data: Obj, ctx: MappingContext): MapResult {
  const ts = toMs(data.timestamp, ctx.now());
  const id = eventId('enter', data, [str(data.open_id), ts]);
  return { events: [{ ...base(id, ts, ctx), kind: 'join', user: sender(data) }] };
}

/** Command → route: the commands the bridge reads; every other one maps to nothing. */
export const OPEN_ROUTES = {
  LIVE_OPEN_PLATFORM_LIVE_START: whole<OpenMappingContext>(() => ({ events: [], status: { state: 'live' } })),
  LIVE_OPEN_PLATFORM_LIVE_END: whole<OpenMappingContext>(() => ({
    events: [],
    status: { state: 'offline', reason: 'the broadcast ended (LIVE_END)' },
  })),
  LIVE_OPEN_PLATFORM_INTERACTION_END: whole<OpenMappingContext>((cmd, ctx) =>
    str(obj(cmd.data).game_id) === ctx.gameId
      ? { events: [], status: { state: 'restart', reason: 'the platform ended the session (INTERACTION_END)' } }
      : NOTHING,
  ),
  LIVE_OPEN_PLATFORM_DM: withData(dm),
  LIVE_OPEN_PLATFORM_SEND_GIFT: withData(gift),
  LIVE_OPEN_PLATFORM_GUARD: withData(guard),
  LIVE_OPEN_PLATFORM_SUPER_CHAT: withData(superChat),
  LIVE_OPEN_PLATFORM_LIKE: withData(like),
  LIVE_OPEN_PLATFORM_LIVE_ROOM_ENTER: withData(enter),
} as const;

/**
 * Maps one open-platform command. `gameId` is the running session's: an INTERACTION_END for
 * it means the platform stopped pushing and the app must be started again.
 */
export function mapOpenCommand(cmd: Obj, ctx: MappingContext, gameId: string): MapResult {
  return mapByRoute<OpenMappingContext>(OPEN_ROUTES, cmd, { ...ctx, gameId });
}
