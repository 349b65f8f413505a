/**
 * TikTok messages → BridgeEvents: the route table, method by method, each handler reading its
 * message straight off the wire (field numbers in proto/tiktok.proto; the table is documented
 * field by field in docs/platforms/tiktok.md). Pure: no I/O, no clock but `ctx.now`.
 */
import type { BridgeEvent, User } from '../../src/core/events.js';
import type { WebcastMessage } from '../webcast/envelope.js';
import {
  commonTags,
  EMPTY_COMMON,
  eventId,
  eventTs,
  readCommon,
  scan,
  scanFields,
  skipField,
  type ScanFields,
} from '../webcast/message.js';
import { tagsOf } from '../webcast/tags.js';
import { tiktokType } from './proto.js';
import { internString, Reader } from '../webcast/reader.js';
import { skip, type RouteOutcome, type RouteTable } from '../webcast/route.js';
import { giftStreak } from '../webcast/streak.js';
import { anonymousUser, readUser } from './structs.js';

/** What mapping needs besides the message. */
export interface TikTokMappingContext {
  /** The configured source name, stamped on every event. */
  source: string;
  /** Fallback event time when a message carries no createTime. */
  now: () => number;
  /** Gift id → display name (config `gift_names`); wins over the message. */
  giftNames?: Readonly<Record<string, string>>;
}

/** The methods the bridge maps; every other method is skipped without decoding its payload. */
export const TIKTOK_METHODS = {
  chat: 'WebcastChatMessage',
  member: 'WebcastMemberMessage',
  like: 'WebcastLikeMessage',
  gift: 'WebcastGiftMessage',
  social: 'WebcastSocialMessage',
  subNotify: 'WebcastSubNotifyMessage',
  roomUserSeq: 'WebcastRoomUserSeqMessage',
  control: 'WebcastControlMessage',
} as const;

const PLATFORM = 'tiktok';
/** Gift type 1 is sent in streaks; every other type arrives once. */
const GIFT_TYPE_STREAKABLE = 1;
const CONTROL_ENDED = 3;
const CONTROL_SUSPENDED = 4;

/** Skip reasons (snake_case, counted by the source). */
export const TIKTOK_SKIPS = { share: skip('share'), socialOther: skip('social_other') } as const;

const scanTikTok = (message: WebcastMessage, fields: ScanFields) => scan(message, fields, readUser);

// Every tag read below comes from proto/tiktok.proto, looked up by message and field name.
const COMMON_TAGS = commonTags(tiktokType('Common'));
const fields = (type: string, user: string | undefined, extra?: string) => scanFields(tiktokType(type), COMMON_TAGS, user, extra);
const CHAT = fields('ChatMessage', 'user', 'content');
const MEMBER = fields('MemberMessage', 'user');
const LIKE = fields('LikeMessage', 'user', 'count');
const SOCIAL = fields('SocialMessage', 'user');
const SUB_NOTIFY = fields('SubNotifyMessage', 'user', 'subMonth');
const ROOM_USER_SEQ = fields('RoomUserSeqMessage', undefined, 'total');
const GIFT = tagsOf(tiktokType('GiftMessage'), ['common', 'giftId', 'repeatCount', 'user', 'repeatEnd', 'groupId', 'gift']);
const GIFT_STRUCT = tagsOf(tiktokType('GiftStruct'), ['id', 'type', 'diamondCount', 'name']);
const CONTROL = tagsOf(tiktokType('ControlMessage'), ['action']);

// Events are built as literals with every field written out (as in Douyin's mapping): spreading
// a shared base object is several times slower on this path.

function chat(message: WebcastMessage, ctx: TikTokMappingContext): RouteOutcome {
  const m = scanTikTok(message, CHAT);
  return {
    id: eventId(message, m.common),
    platform: PLATFORM,
    source: ctx.source,
    ts: eventTs(m.common, ctx.now),
    kind: 'comment',
    user: m.user ?? anonymousUser(),
    text: m.text,
  };
}

function member(message: WebcastMessage, ctx: TikTokMappingContext): RouteOutcome {
  const m = scanTikTok(message, MEMBER);
  return {
    id: eventId(message, m.common),
    platform: PLATFORM,
    source: ctx.source,
    ts: eventTs(m.common, ctx.now),
    kind: 'join',
    user: m.user ?? anonymousUser(),
  };
}

/** `count` is this burst's likes (at most 15); the room total is not used. */
function like(message: WebcastMessage, ctx: TikTokMappingContext): RouteOutcome {
  const m = scanTikTok(message, LIKE);
  if (m.number <= 0) return null;
  return {
    id: eventId(message, m.common),
    platform: PLATFORM,
    source: ctx.source,
    ts: eventTs(m.common, ctx.now),
    kind: 'like',
    user: m.user ?? anonymousUser(),
    count: m.number,
  };
}

interface GiftStructFields {
  id: string;
  type: number;
  diamondCount: number;
  name: string;
}

function readGiftStruct(r: Reader, end: number): GiftStructFields {
  const g: GiftStructFields = { id: '0', type: 0, diamondCount: 0, name: '' };
  while (r.pos < end) {
    const t = r.uint32();
    if (t === GIFT_STRUCT.id) g.id = r.u64String();
    else if (t === GIFT_STRUCT.type) g.type = r.int32();
    else if (t === GIFT_STRUCT.diamondCount) g.diamondCount = r.int32();
    else if (t === GIFT_STRUCT.name) g.name = internString(r.buf, r.skipBytes(), r.pos);
    else skipField(r, t);
  }
  r.finish(end);
  return g;
}

function gift(message: WebcastMessage, ctx: TikTokMappingContext): RouteOutcome {
  const r = new Reader(message.body, message.start);
  const end = message.end;
  let common = EMPTY_COMMON;
  let user: User | undefined;
  let legacyGiftId = '0';
  let repeatCount = 0;
  let repeatEnd = false;
  let groupId = '0';
  let struct: GiftStructFields | undefined;
  while (r.pos < end) {
    const t = r.uint32();
    switch (t) {
      case GIFT.common:
        common = readCommon(r, r.bytesEnd(), COMMON_TAGS);
        break;
      case GIFT.giftId:
        legacyGiftId = r.u64String();
        break;
      case GIFT.repeatCount:
        repeatCount = r.u64Number();
        break;
      case GIFT.user:
        user = readUser(r, r.bytesEnd());
        break;
      case GIFT.repeatEnd:
        repeatEnd = r.uint32() !== 0;
        break;
      case GIFT.groupId:
        groupId = r.u64String();
        break;
      case GIFT.gift:
        struct = readGiftStruct(r, r.bytesEnd());
        break;
      default:
        skipField(r, t);
    }
  }
  r.finish(end);
  const from = user ?? anonymousUser();
  // gift(15).id(5) first: field 2 only exists in older schemas.
  const giftId = struct && struct.id !== '0' ? struct.id : legacyGiftId;
  const override = ctx.giftNames && Object.hasOwn(ctx.giftNames, giftId) ? ctx.giftNames[giftId] : undefined;
  const streak = giftStreak({
    streakable: struct?.type === GIFT_TYPE_STREAKABLE,
    repeatEnd,
    userId: from.id,
    giftId,
    groupId,
    foldEchoes: true,
  });
  const name = override ?? struct?.name ?? '';
  const count = Math.max(1, repeatCount);
  const unitValue = struct && struct.diamondCount > 0 ? struct.diamondCount : 0;
  const event: BridgeEvent = {
    id: eventId(message, common),
    platform: PLATFORM,
    source: ctx.source,
    ts: eventTs(common, ctx.now),
    kind: 'gift',
    user: from,
    gift: streak ? { giftId, name, count, unitValue, streak } : { giftId, name, count, unitValue },
  };
  return event;
}

/** A social message is a follow only when its display-text key says so; shares are counted and dropped. */
function social(message: WebcastMessage, ctx: TikTokMappingContext): RouteOutcome {
  const m = scanTikTok(message, SOCIAL);
  const key = m.common.displayKey;
  if (key.includes('follow'))
    return {
      id: eventId(message, m.common),
      platform: PLATFORM,
      source: ctx.source,
      ts: eventTs(m.common, ctx.now),
      kind: 'follow',
      user: m.user ?? anonymousUser(),
    };
  return key.includes('share') ? TIKTOK_SKIPS.share : TIKTOK_SKIPS.socialOther;
}

/** A paid subscription: months from subMonth (0 when absent); TikTok names no tier. */
function subNotify(message: WebcastMessage, ctx: TikTokMappingContext): RouteOutcome {
  const m = scanTikTok(message, SUB_NOTIFY);
  return {
    id: eventId(message, m.common),
    platform: PLATFORM,
    source: ctx.source,
    ts: eventTs(m.common, ctx.now),
    kind: 'subscribe',
    user: m.user ?? anonymousUser(),
    subscription: { tier: '', months: m.number },
  };
}

/** `total` is the current viewers (totalUser, the cumulative count, is not used). */
function roomUserSeq(message: WebcastMessage, ctx: TikTokMappingContext): RouteOutcome {
  const m = scanTikTok(message, ROOM_USER_SEQ);
  return {
    id: eventId(message, m.common),
    platform: PLATFORM,
    source: ctx.source,
    ts: eventTs(m.common, ctx.now),
    kind: 'viewers',
    count: m.number,
  };
}

/** Action 3 (ended) or 4 (suspended) ends the broadcast; 1 and 2 (pause, unpause) are nothing. */
function control(message: WebcastMessage): RouteOutcome {
  const r = new Reader(message.body, message.start);
  const end = message.end;
  let action = 0;
  while (r.pos < end) {
    const t = r.uint32();
    if (t === CONTROL.action) action = r.u64Number();
    else skipField(r, t);
  }
  r.finish(end);
  if (action === CONTROL_ENDED) return { kind: 'ended', reason: 'the broadcast ended (ControlMessage action 3)' };
  if (action === CONTROL_SUSPENDED) return { kind: 'ended', reason: 'the broadcast was suspended (ControlMessage action 4)' };
  return null;
}

/** method → handler, for adapters/webcast/route.ts. */
export const TIKTOK_ROUTES: RouteTable<TikTokMappingContext> = {
  [TIKTOK_METHODS.chat]: chat,
  [TIKTOK_METHODS.member]: member,
  [TIKTOK_METHODS.like]: like,
  [TIKTOK_METHODS.gift]: gift,
  [TIKTOK_METHODS.social]: social,
  [TIKTOK_METHODS.subNotify]: subNotify,
  [TIKTOK_METHODS.roomUserSeq]: roomUserSeq,
  [TIKTOK_METHODS.control]: control,
};
