/**
 * Douyin messages → BridgeEvent, field by field (the table is in docs/platforms/douyin.md).
 * Stable API, shared with the douyin-browser source. Pure: no I/O, no clock but `ctx.now`.
 */
import { createHash } from 'node:crypto';
import type { BridgeEvent, User } from '../../src/core/events.js';
import { DouyinDecodeError, u64Number, u64String, type DouyinMessage, type DouyinResponse } from './codec.js';
import type { GiftTable } from './gift-table.js';
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

/** The methods the bridge decodes; every other method is skipped without decoding its payload. */
export const DOUYIN_METHODS = {
  chat: 'WebcastChatMessage',
  member: 'WebcastMemberMessage',
  like: 'WebcastLikeMessage',
  gift: 'WebcastGiftMessage',
  social: 'WebcastSocialMessage',
  roomUserSeq: 'WebcastRoomUserSeqMessage',
  control: 'WebcastControlMessage',
} as const;

const PLATFORM = 'douyin';
const SOCIAL_ACTION_FOLLOW = 1;
const CONTROL_ACTION_LIVE_ENDED = 3;
const SEND_TYPE_COMBO = 4;
const BADGE_IMAGE_HONOUR_LEVEL = 1;
const MAX_SAFE = Number.MAX_SAFE_INTEGER;

const Types = {
  chat: douyinType('ChatMessage'),
  member: douyinType('MemberMessage'),
  like: douyinType('LikeMessage'),
  gift: douyinType('GiftMessage'),
  social: douyinType('SocialMessage'),
  roomUserSeq: douyinType('RoomUserSeqMessage'),
  control: douyinType('ControlMessage'),
};

function decodeAs<T>(type: (typeof Types)[keyof typeof Types], message: DouyinMessage): T {
  try {
    return type.decode(message.payload) as unknown as T;
  } catch (err) {
    throw new DouyinDecodeError('malformed_payload', message.payload, err);
  }
}

function clampLevel(n: number): number {
  return n > 0 ? Math.min(Math.floor(n), MAX_SAFE) : 0;
}

/** Honour-level badge (badge image of type 1 with a level), else the pay grade level, else 0. */
function userLevel(user: RawUser): number {
  for (const image of user.badgeImageList) {
    if (image.imageType === BADGE_IMAGE_HONOUR_LEVEL && image.content) {
      const level = u64Number(image.content.level);
      if (level > 0) return clampLevel(level);
    }
  }
  return user.payGrade ? clampLevel(u64Number(user.payGrade.level)) : 0;
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

function mapGift(message: DouyinMessage, ctx: MappingContext): BridgeEvent {
  const raw = decodeAs<RawGiftMessage>(Types.gift, message);
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

/**
 * Maps one message to a BridgeEvent, or null when it is not one of the six events (unknown
 * method, share, zero likes, control). Throws DouyinDecodeError(`malformed_payload`) when the
 * payload does not decode.
 */
export function mapMessage(message: DouyinMessage, ctx: MappingContext): BridgeEvent | null {
  switch (message.method) {
    case DOUYIN_METHODS.chat: {
      const raw = decodeAs<RawChatMessage>(Types.chat, message);
      return {
        id: eventId(message, raw.common),
        platform: PLATFORM,
        source: ctx.source,
        ts: eventTs(raw.common, ctx),
        kind: 'comment',
        user: mapUser(raw.user),
        text: raw.content,
      };
    }
    case DOUYIN_METHODS.member: {
      const raw = decodeAs<RawMemberMessage>(Types.member, message);
      return {
        id: eventId(message, raw.common),
        platform: PLATFORM,
        source: ctx.source,
        ts: eventTs(raw.common, ctx),
        kind: 'join',
        user: mapUser(raw.user),
      };
    }
    case DOUYIN_METHODS.like: {
      const raw = decodeAs<RawLikeMessage>(Types.like, message);
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
    }
    case DOUYIN_METHODS.gift:
      return mapGift(message, ctx);
    case DOUYIN_METHODS.social: {
      const raw = decodeAs<RawSocialMessage>(Types.social, message);
      return u64Number(raw.action) === SOCIAL_ACTION_FOLLOW
        ? {
            id: eventId(message, raw.common),
            platform: PLATFORM,
            source: ctx.source,
            ts: eventTs(raw.common, ctx),
            kind: 'follow',
            user: mapUser(raw.user),
          }
        : null;
    }
    case DOUYIN_METHODS.roomUserSeq: {
      const raw = decodeAs<RawRoomUserSeqMessage>(Types.roomUserSeq, message);
      return {
        id: eventId(message, raw.common),
        platform: PLATFORM,
        source: ctx.source,
        ts: eventTs(raw.common, ctx),
        kind: 'viewers',
        count: u64Number(raw.total),
      };
    }
    default:
      return null;
  }
}

/** True for a ControlMessage whose action is 3 (the broadcast ended). Throws DouyinDecodeError on a bad payload. */
export function isLiveEndMessage(message: DouyinMessage): boolean {
  if (message.method !== DOUYIN_METHODS.control) return false;
  return u64Number(decodeAs<RawControlMessage>(Types.control, message).action) === CONTROL_ACTION_LIVE_ENDED;
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
      if (message.method === DOUYIN_METHODS.control) {
        liveEnded ||= isLiveEndMessage(message);
        continue;
      }
      const event = mapMessage(message, ctx);
      if (event) events.push(event);
    } catch (err) {
      if (err instanceof DouyinDecodeError) failures.push(err);
      else throw err;
    }
  }
  return { events, liveEnded, failures };
}
