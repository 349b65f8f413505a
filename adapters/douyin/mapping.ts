/**
 * Douyin messages → BridgeEvent, field by field (the table is in docs/platforms/douyin.md).
 * Stable API, shared with the douyin-browser source. Pure: no I/O, no clock but `ctx.now`.
 */
import { createHash } from 'node:crypto';
import type { BridgeEvent, User } from '../../src/core/events.js';
import { DouyinDecodeError, u64Number, u64String, type DouyinMessage, type DouyinResponse } from './codec.js';
import type protobuf from 'protobufjs';
import { routeFor, type Route } from '../kit/routes.js';
import { GiftTable } from './gift-table.js';
import { douyinType } from './proto.js';
import type {
  RawChatMessage,
  RawCommon,
  RawControlMessage,
  RawGiftMessage,
  RawLikeMessage,
  RawMemberMessage,
  RawRoomUserSeqMessage,
  RawSocialMessage,
  RawUser,
} from './raw.js';

/** What mapping needs besides the message. */
export interface MappingContext {
  /** The configured source name, stamped on every event. */
  source: string;
  giftTable: GiftTable;
  /** Fallback event time when a message carries no createTime (default Date.now). */
  now?: () => number;
}

const PLATFORM = 'douyin';
const SOCIAL_ACTION_FOLLOW = 1;
const CONTROL_ACTION_LIVE_ENDED = 3;
const SEND_TYPE_COMBO = 4;
const BADGE_IMAGE_HONOUR_LEVEL = 1;
const MAX_SAFE = Number.MAX_SAFE_INTEGER;
/** An empty gift table, for outcomes that need none (the live-end check). */
const NO_GIFTS = new GiftTable();

function decodeAs<T>(type: protobuf.Type, message: DouyinMessage): T {
  try {
    return type.decode(message.payload) as unknown as T;
  } catch (err) {
    throw new DouyinDecodeError('malformed_payload', message.payload, err);
  }
}

function clampLevel(n: number): number {
  return n > 0 ? Math.min(Math.floor(n), MAX_SAFE) : 0;
}

/**
 * The user's level, first found of: the honour-level badge (badge image of type 1 with a level),
 * the pay grade's level, the User's own `level` (field 6, usually 0), else 0.
 */
function userLevel(user: RawUser): number {
  for (const image of user.badgeImageList) {
    if (image.imageType === BADGE_IMAGE_HONOUR_LEVEL && image.content) {
      const level = u64Number(image.content.level);
      if (level > 0) return clampLevel(level);
    }
  }
  const pay = user.payGrade ? u64Number(user.payGrade.level) : 0;
  return clampLevel(pay > 0 ? pay : user.level);
}

/** Maps a Douyin User to ours: id, nickname, level, fan-club name and level. */
export function mapUser(user: RawUser | null | undefined): User {
  if (!user) return { id: '0', name: '', level: 0, badge: '', badgeLevel: 0 };
  const numeric = u64String(user.id);
  const id = numeric !== '0' ? numeric : user.idStr || user.secUid || user.displayId || '0';
  const club = user.fansClub?.data;
  return {
    id,
    name: user.nickname,
    level: userLevel(user),
    badge: club?.clubName ?? '',
    badgeLevel: club ? clampLevel(club.level) : 0,
  };
}

/** The event id: the Message's msgId, else the Common's, else a digest of the payload (stable across resends). */
function eventId(message: DouyinMessage, common: RawCommon | null | undefined): string {
  if (message.msgId !== '0') return message.msgId;
  const fromCommon = u64String(common?.msgId);
  if (fromCommon !== '0') return fromCommon;
  return `sha1:${createHash('sha1').update(message.method).update(message.payload).digest('hex').slice(0, 24)}`;
}

// Events are built as literals with every field written out: spreading a shared base object
// made mapping about three times slower (bench/douyin-decode.ts).

/** The event time: the message's createTime (ms), else the context clock. */
function eventTs(common: RawCommon | null | undefined, ctx: MappingContext): number {
  const created = u64Number(common?.createTime);
  return created > 0 ? created : (ctx.now ?? Date.now)();
}

function mapGift(raw: RawGiftMessage, ctx: MappingContext, message: DouyinMessage): BridgeEvent {
  const user = mapUser(raw.user);
  const structId = raw.gift ? u64String(raw.gift.id) : '0';
  const giftId = structId !== '0' ? structId : u64String(raw.giftId);
  const info = ctx.giftTable.get(giftId);
  const name = ctx.giftTable.override(giftId) ?? (raw.gift?.name || info?.name || '');
  const diamonds = raw.gift && raw.gift.diamondCount > 0 ? raw.gift.diamondCount : (info?.diamonds ?? 0);
  const group = Math.max(1, u64Number(raw.groupCount));
  const repeat = u64Number(raw.repeatCount) || u64Number(raw.comboCount) || 1;
  const count = Math.min(group * repeat, MAX_SAFE);
  const streakable = raw.gift?.combo === true || info?.combo === true || u64Number(raw.sendType) === SEND_TYPE_COMBO || raw.repeatEnd === 1;
  const gift = streakable
    ? {
        giftId,
        name,
        count,
        unitValue: diamonds,
        streak: { key: `${user.id}:${giftId}:${u64String(raw.groupId)}`, final: raw.repeatEnd === 1 },
      }
    : { giftId, name, count, unitValue: diamonds };
  return {
    id: eventId(message, raw.common),
    platform: PLATFORM,
    source: ctx.source,
    ts: eventTs(raw.common, ctx),
    kind: 'gift',
    user,
    gift,
  };
}

/** What one message maps to: an event, the end of the broadcast, or nothing. */
export type DouyinOutcome = BridgeEvent | typeof LIVE_ENDED | null;

/** The outcome of a ControlMessage whose action says the broadcast ended. */
export const LIVE_ENDED = 'live_ended';

/** One route: the .proto message type of the payload, and what it maps to. */
export interface DouyinRoute<R = unknown> extends Route<DouyinMessage, R, MappingContext, DouyinOutcome> {
  /** The message type in proto/douyin.proto (the method without its `Webcast` prefix). */
  readonly type: string;
}

function route<R>(type: string, map: (raw: R, ctx: MappingContext, message: DouyinMessage) => DouyinOutcome): DouyinRoute<R> {
  let protoType: protobuf.Type | undefined;
  return { type, decode: (message) => decodeAs<R>((protoType ??= douyinType(type)), message), map };
}

/**
 * Method → route, for the methods the bridge reads; every other method is skipped without
 * decoding its payload.
 */
export const DOUYIN_ROUTES = {
  WebcastChatMessage: route<RawChatMessage>('ChatMessage', (raw, ctx, message) => ({
    id: eventId(message, raw.common),
    platform: PLATFORM,
    source: ctx.source,
    ts: eventTs(raw.common, ctx),
    kind: 'comment',
    user: mapUser(raw.user),
    text: raw.content,
  })),
  WebcastMemberMessage: route<RawMemberMessage>('MemberMessage', (raw, ctx, message) => ({
    id: eventId(message, raw.common),
    platform: PLATFORM,
    source: ctx.source,
    ts: eventTs(raw.common, ctx),
    kind: 'join',
    user: mapUser(raw.user),
  })),
  WebcastLikeMessage: route<RawLikeMessage>('LikeMessage', (raw, ctx, message) => {
    const count = u64Number(raw.count);
    return count > 0
      ? {
          id: eventId(message, raw.common),
          platform: PLATFORM,
          source: ctx.source,
          ts: eventTs(raw.common, ctx),
          kind: 'like',
          user: mapUser(raw.user),
          count,
        }
      : null;
  }),
  WebcastGiftMessage: route<RawGiftMessage>('GiftMessage', mapGift),
  WebcastSocialMessage: route<RawSocialMessage>('SocialMessage', (raw, ctx, message) =>
    u64Number(raw.action) === SOCIAL_ACTION_FOLLOW
      ? {
          id: eventId(message, raw.common),
          platform: PLATFORM,
          source: ctx.source,
          ts: eventTs(raw.common, ctx),
          kind: 'follow',
          user: mapUser(raw.user),
        }
      : null,
  ),
  WebcastRoomUserSeqMessage: route<RawRoomUserSeqMessage>('RoomUserSeqMessage', (raw, ctx, message) => ({
    id: eventId(message, raw.common),
    platform: PLATFORM,
    source: ctx.source,
    ts: eventTs(raw.common, ctx),
    kind: 'viewers',
    count: u64Number(raw.total),
  })),
  WebcastControlMessage: route<RawControlMessage>('ControlMessage', (raw) =>
    u64Number(raw.action) === CONTROL_ACTION_LIVE_ENDED ? LIVE_ENDED : null,
  ),
} as const satisfies Record<string, { readonly type: string }>;

/** Maps one message by its route; null for unknown methods. Throws DouyinDecodeError(`malformed_payload`). */
export function mapOutcome(message: DouyinMessage, ctx: MappingContext): DouyinOutcome {
  const r = routeFor(DOUYIN_ROUTES, message.method) as DouyinRoute<unknown> | undefined;
  return r ? r.map(r.decode(message), ctx, message) : null;
}

/**
 * Maps one message to a BridgeEvent, or null when it is not one of the events (unknown method,
 * share, zero likes, control). Throws DouyinDecodeError(`malformed_payload`) when the payload
 * does not decode.
 */
export function mapMessage(message: DouyinMessage, ctx: MappingContext): BridgeEvent | null {
  const outcome = mapOutcome(message, ctx);
  return outcome === LIVE_ENDED ? null : outcome;
}

/** True for a ControlMessage whose action is 3 (the broadcast ended). Throws DouyinDecodeError on a bad payload. */
export function isLiveEndMessage(message: DouyinMessage): boolean {
  return message.method === 'WebcastControlMessage' && mapOutcome(message, { source: '', giftTable: NO_GIFTS }) === LIVE_ENDED;
}

/** The result of mapping a whole Response. */
export interface MappedResponse {
  events: BridgeEvent[];
  /** A ControlMessage said the broadcast ended. */
  liveEnded: boolean;
  /** Messages whose payload did not decode (each one a discard for the source). */
  failures: DouyinDecodeError[];
}

/** Maps every message of a Response, in order; one bad message never spoils the rest. */
export function mapResponse(response: DouyinResponse, ctx: MappingContext): MappedResponse {
  const events: BridgeEvent[] = [];
  const failures: DouyinDecodeError[] = [];
  let liveEnded = false;
  for (const message of response.messages) {
    try {
      const outcome = mapOutcome(message, ctx);
      if (outcome === LIVE_ENDED) liveEnded = true;
      else if (outcome) events.push(outcome);
    } catch (err) {
      if (err instanceof DouyinDecodeError) failures.push(err);
      else throw err;
    }
  }
  return { events, liveEnded, failures };
}
