/**
 * Douyin messages → BridgeEvents over the shared webcast codec (adapters/webcast/): the route
 * table, each handler reading its message straight off the wire with the tags of
 * proto/douyin.proto (the table is documented field by field in docs/platforms/douyin.md). Pure:
 * no I/O, no clock but `ctx.now`. Stable API, shared with the douyin-browser source.
 */
import type { BridgeEvent, User } from '../../src/core/events.js';
import { DouyinDecodeError, type DouyinMessage, type DouyinResponse } from './codec.js';
import { envelopeSchema, WebcastMessage, type ResponseShape, type WebcastDecodeError } from '../webcast/envelope.js';
import type { WebcastProtocol } from '../webcast/frames.js';
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
import { decodeUtf8, internString, Reader } from '../webcast/reader.js';
import { tagOf, tagsOf } from '../webcast/tags.js';
import { douyinRoot, douyinType } from './proto.js';
import { routeResponse, skip, type RouteOutcome, type RouteTable } from '../webcast/route.js';
import { giftStreak } from '../webcast/streak.js';
import { GiftTable } from './gift-table.js';

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
/** An empty gift table, for outcomes that need none (the live-end check). */
const NO_GIFTS = new GiftTable();

/** Skip reasons (snake_case, counted by the source). */
export const DOUYIN_SKIPS = { share: skip('share') } as const;

// Every tag read below comes from proto/douyin.proto, looked up by message and field name.
const USER = tagsOf(douyinType('User'), [
  'id',
  'nickname',
  'level',
  'badgeImageList',
  'payGrade',
  'fansClub',
  'displayId',
  'secUid',
  'idStr',
]);
const IMAGE = tagsOf(douyinType('Image'), ['imageType', 'content']);
const U = {
  id: USER.id,
  nickname: USER.nickname,
  level: USER.level,
  badgeImage: USER.badgeImageList,
  payGrade: USER.payGrade,
  fansClub: USER.fansClub,
  displayId: USER.displayId,
  secUid: USER.secUid,
  idStr: USER.idStr,
  imageType: IMAGE.imageType,
  imageContent: IMAGE.content,
  contentLevel: tagOf(douyinType('ImageContent'), 'level'),
  payLevel: tagOf(douyinType('PayGrade'), 'level'),
  clubData: tagOf(douyinType('FansClub'), 'data'),
  clubName: tagOf(douyinType('FansClubData'), 'clubName'),
  clubLevel: tagOf(douyinType('FansClubData'), 'level'),
} as const;

function clampLevel(n: number): number {
  return n > 0 ? Math.min(Math.floor(n), MAX_SAFE) : 0;
}

/** A badge image: its level when it is the honour-level badge (imageType 1 with content.level), else 0. */
function readBadgeImage(r: Reader, end: number): number {
  let type = 0;
  let level = 0;
  while (r.pos < end) {
    const t = r.uint32();
    if (t === U.imageType) type = r.int32();
    else if (t === U.imageContent) {
      const cEnd = r.bytesEnd();
      while (r.pos < cEnd) {
        const c = r.uint32();
        if (c === U.contentLevel) level = r.u64Number();
        else skipField(r, c);
      }
      r.finish(cEnd);
    } else skipField(r, t);
  }
  r.finish(end);
  return type === BADGE_IMAGE_HONOUR_LEVEL ? level : 0;
}

/** One varint field of a sub-message (PayGrade.level). */
function readNested(r: Reader, end: number, wanted: number): number {
  let value = 0;
  while (r.pos < end) {
    const t = r.uint32();
    if (t === wanted) value = r.u64Number();
    else skipField(r, t);
  }
  r.finish(end);
  return value;
}

function readFansClub(r: Reader, end: number, user: User): void {
  while (r.pos < end) {
    const t = r.uint32();
    if (t === U.clubData) {
      const dEnd = r.bytesEnd();
      while (r.pos < dEnd) {
        const d = r.uint32();
        if (d === U.clubName) user.badge = internString(r.buf, r.skipBytes(), r.pos);
        else if (d === U.clubLevel) user.badgeLevel = clampLevel(r.int32());
        else skipField(r, d);
      }
      r.finish(dEnd);
    } else skipField(r, t);
  }
  r.finish(end);
}

/**
 * Reads a Douyin User: id from field 1 (u64 as a string), else idStr, secUid or displayId; level
 * from the honour-level badge, else the pay grade; badge and badge level from the fan club.
 */
export function readDouyinUser(r: Reader, end: number): User {
  const user: User = { id: '0', name: '', level: 0, badge: '', badgeLevel: 0 };
  let honour = 0;
  let payLevel = 0;
  let ownLevel = 0;
  // The fallback ids (idStr, secUid, displayId, in that order) are decoded only when field 1 is
  // missing: remember where the first present one is.
  let fallbackRank = 3;
  let fallbackStart = 0;
  let fallbackEnd = 0;
  const remember = (rank: number) => {
    const start = r.skipBytes();
    if (rank < fallbackRank && r.pos > start) {
      fallbackRank = rank;
      fallbackStart = start;
      fallbackEnd = r.pos;
    }
  };
  while (r.pos < end) {
    const t = r.uint32();
    switch (t) {
      case U.id:
        user.id = r.u64String();
        break;
      case U.nickname:
        user.name = r.string();
        break;
      case U.level:
        ownLevel = r.int32();
        break;
      case U.badgeImage: {
        const level = readBadgeImage(r, r.bytesEnd());
        if (honour === 0 && level > 0) honour = level;
        break;
      }
      case U.payGrade:
        payLevel = readNested(r, r.bytesEnd(), U.payLevel);
        break;
      case U.fansClub:
        readFansClub(r, r.bytesEnd(), user);
        break;
      case U.idStr:
        remember(0);
        break;
      case U.secUid:
        remember(1);
        break;
      case U.displayId:
        remember(2);
        break;
      default:
        skipField(r, t);
    }
  }
  r.finish(end);
  // Honour badge, else pay grade, else the User's own level (usually 0).
  user.level = clampLevel(honour > 0 ? honour : payLevel > 0 ? payLevel : ownLevel);
  if (user.id === '0' && fallbackRank < 3) user.id = decodeUtf8(r.buf, fallbackStart, fallbackEnd);
  return user;
}

function anonymousUser(): User {
  return { id: '0', name: '', level: 0, badge: '', badgeLevel: 0 };
}

const now = (ctx: MappingContext) => ctx.now ?? Date.now;
const scanDouyin = (message: WebcastMessage, fields: ScanFields) => scan(message, fields, readDouyinUser);

const COMMON_TAGS = commonTags(douyinType('Common'));
const fields = (type: string, user: string | undefined, extra?: string) => scanFields(douyinType(type), COMMON_TAGS, user, extra);
const CHAT = fields('ChatMessage', 'user', 'content');
const MEMBER = fields('MemberMessage', 'user');
const LIKE = fields('LikeMessage', 'user', 'count');
const SOCIAL = fields('SocialMessage', 'user', 'action');
const ROOM_USER_SEQ = fields('RoomUserSeqMessage', undefined, 'total');
const GIFT = tagsOf(douyinType('GiftMessage'), [
  'common',
  'giftId',
  'groupCount',
  'repeatCount',
  'comboCount',
  'user',
  'repeatEnd',
  'groupId',
  'gift',
  'sendType',
]);
const GIFT_STRUCT = tagsOf(douyinType('GiftStruct'), ['id', 'combo', 'diamondCount', 'name']);
const CONTROL = tagsOf(douyinType('ControlMessage'), ['action']);

// Events are built as literals with every field written out: spreading a shared base object
// made mapping about three times slower (bench/douyin-decode.ts).

function chat(message: WebcastMessage, ctx: MappingContext): RouteOutcome {
  const m = scanDouyin(message, CHAT);
  return {
    id: eventId(message, m.common),
    platform: PLATFORM,
    source: ctx.source,
    ts: eventTs(m.common, now(ctx)),
    kind: 'comment',
    user: m.user ?? anonymousUser(),
    text: m.text,
  };
}

function member(message: WebcastMessage, ctx: MappingContext): RouteOutcome {
  const m = scanDouyin(message, MEMBER);
  return {
    id: eventId(message, m.common),
    platform: PLATFORM,
    source: ctx.source,
    ts: eventTs(m.common, now(ctx)),
    kind: 'join',
    user: m.user ?? anonymousUser(),
  };
}

function like(message: WebcastMessage, ctx: MappingContext): RouteOutcome {
  const m = scanDouyin(message, LIKE);
  if (m.number <= 0) return null;
  return {
    id: eventId(message, m.common),
    platform: PLATFORM,
    source: ctx.source,
    ts: eventTs(m.common, now(ctx)),
    kind: 'like',
    user: m.user ?? anonymousUser(),
    count: m.number,
  };
}

/** Only action 1 is a follow; shares (action 3) and the rest are dropped and counted. */
function social(message: WebcastMessage, ctx: MappingContext): RouteOutcome {
  const m = scanDouyin(message, SOCIAL);
  if (m.number !== SOCIAL_ACTION_FOLLOW) return DOUYIN_SKIPS.share;
  return {
    id: eventId(message, m.common),
    platform: PLATFORM,
    source: ctx.source,
    ts: eventTs(m.common, now(ctx)),
    kind: 'follow',
    user: m.user ?? anonymousUser(),
  };
}

function roomUserSeq(message: WebcastMessage, ctx: MappingContext): RouteOutcome {
  const m = scanDouyin(message, ROOM_USER_SEQ);
  return {
    id: eventId(message, m.common),
    platform: PLATFORM,
    source: ctx.source,
    ts: eventTs(m.common, now(ctx)),
    kind: 'viewers',
    count: m.number,
  };
}

interface GiftStruct {
  id: string;
  combo: boolean;
  diamondCount: number;
  name: string;
}

function readGiftStruct(r: Reader, end: number): GiftStruct {
  const g: GiftStruct = { id: '0', combo: false, diamondCount: 0, name: '' };
  while (r.pos < end) {
    const t = r.uint32();
    if (t === GIFT_STRUCT.id) g.id = r.u64String();
    else if (t === GIFT_STRUCT.combo) g.combo = r.bool();
    else if (t === GIFT_STRUCT.diamondCount) g.diamondCount = r.int32();
    else if (t === GIFT_STRUCT.name) g.name = internString(r.buf, r.skipBytes(), r.pos);
    else skipField(r, t);
  }
  r.finish(end);
  return g;
}

function gift(message: WebcastMessage, ctx: MappingContext): RouteOutcome {
  const r = new Reader(message.body, message.start);
  const end = message.end;
  let common = EMPTY_COMMON;
  let user: User | undefined;
  let legacyGiftId = '0';
  let groupCount = 0;
  let repeatCount = 0;
  let comboCount = 0;
  let repeatEnd = false;
  let groupId = '0';
  let sendType = 0;
  let struct: GiftStruct | undefined;
  while (r.pos < end) {
    const t = r.uint32();
    switch (t) {
      case GIFT.common:
        common = readCommon(r, r.bytesEnd(), COMMON_TAGS);
        break;
      case GIFT.giftId:
        legacyGiftId = r.u64String();
        break;
      case GIFT.groupCount:
        groupCount = r.u64Number();
        break;
      case GIFT.repeatCount:
        repeatCount = r.u64Number();
        break;
      case GIFT.comboCount:
        comboCount = r.u64Number();
        break;
      case GIFT.user:
        user = readDouyinUser(r, r.bytesEnd());
        break;
      case GIFT.repeatEnd:
        repeatEnd = r.uint32() === 1;
        break;
      case GIFT.groupId:
        groupId = r.u64String();
        break;
      case GIFT.gift:
        struct = readGiftStruct(r, r.bytesEnd());
        break;
      case GIFT.sendType:
        sendType = r.u64Number();
        break;
      default:
        skipField(r, t);
    }
  }
  r.finish(end);
  const from = user ?? anonymousUser();
  const giftId = struct && struct.id !== '0' ? struct.id : legacyGiftId;
  const info = ctx.giftTable.get(giftId);
  const name = ctx.giftTable.override(giftId) ?? (struct?.name || info?.name || '');
  const unitValue = struct && struct.diamondCount > 0 ? struct.diamondCount : (info?.diamonds ?? 0);
  const count = Math.min(Math.max(1, groupCount) * (repeatCount || comboCount || 1), MAX_SAFE);
  const streak = giftStreak({
    streakable: struct?.combo === true || info?.combo === true || sendType === SEND_TYPE_COMBO || repeatEnd,
    repeatEnd,
    userId: from.id,
    giftId,
    groupId,
  });
  const event: BridgeEvent = {
    id: eventId(message, common),
    platform: PLATFORM,
    source: ctx.source,
    ts: eventTs(common, now(ctx)),
    kind: 'gift',
    user: from,
    gift: streak ? { giftId, name, count, unitValue, streak } : { giftId, name, count, unitValue },
  };
  return event;
}

/** Action 3: the broadcast ended. */
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
  return action === CONTROL_ACTION_LIVE_ENDED ? { kind: 'ended', reason: 'the broadcast ended (ControlMessage action 3)' } : null;
}

/** method → handler, for adapters/webcast/route.ts. */
export const DOUYIN_ROUTES: RouteTable<MappingContext> = {
  [DOUYIN_METHODS.chat]: chat,
  [DOUYIN_METHODS.member]: member,
  [DOUYIN_METHODS.like]: like,
  [DOUYIN_METHODS.gift]: gift,
  [DOUYIN_METHODS.social]: social,
  [DOUYIN_METHODS.roomUserSeq]: roomUserSeq,
  [DOUYIN_METHODS.control]: control,
};

/**
 * Where Douyin's Response differs from TikTok's: fields 14 (pushServerV2) and 13 (proxyServer) are
 * push hosts, and the frame headers `im-cursor` / `im-internal_ext` win over the body's resume state.
 */
export const DOUYIN_SHAPE: ResponseShape = {
  schema: envelopeSchema(douyinRoot(), 'douyin', { pushServerAlternatives: ['pushServerV2', 'proxyServer'] }),
  resumeHeaders: { cursor: 'im-cursor', internalExt: 'im-internal_ext' },
};

/** The Douyin wire for adapters/webcast/frames.ts: a `close` frame also ends the broadcast. */
export const DOUYIN_PROTOCOL: WebcastProtocol<MappingContext> = {
  platform: PLATFORM,
  shape: DOUYIN_SHAPE,
  routes: DOUYIN_ROUTES,
  closeFrameEnds: true,
};

/** A Douyin message as the codec (and the browser's capture) hands it over, in the webcast shape. */
function asWebcast(message: DouyinMessage): WebcastMessage {
  const p = message.payload;
  const m = new WebcastMessage(Buffer.isBuffer(p) ? p : Buffer.from(p.buffer, p.byteOffset, p.byteLength));
  m.method = message.method;
  m.start = 0;
  m.end = p.byteLength;
  const id = /^\d{1,20}$/.test(message.msgId) ? BigInt.asUintN(64, BigInt(message.msgId)) : 0n;
  m.msgIdLo = Number(id & 0xffffffffn);
  m.msgIdHi = Number(id >> 32n);
  m.msgType = message.msgType;
  return m;
}

function douyinError(err: WebcastDecodeError): DouyinDecodeError {
  return new DouyinDecodeError(err.reason, err.sample, err);
}

/**
 * Maps one message to a BridgeEvent, or null when it is not one of the events (unknown method,
 * share, zero likes, control). Throws DouyinDecodeError(`malformed_payload`) when the payload
 * does not decode.
 */
export function mapMessage(message: DouyinMessage, ctx: MappingContext): BridgeEvent | null {
  const out = routeResponse({ messages: [asWebcast(message)] }, DOUYIN_ROUTES, ctx, PLATFORM);
  if (out.failures[0]) throw douyinError(out.failures[0]);
  return out.events[0] ?? null;
}

/** True for a ControlMessage whose action is 3 (the broadcast ended). Throws DouyinDecodeError on a bad payload. */
export function isLiveEndMessage(message: DouyinMessage): boolean {
  if (message.method !== DOUYIN_METHODS.control) return false;
  const out = routeResponse({ messages: [asWebcast(message)] }, DOUYIN_ROUTES, { source: '', giftTable: NO_GIFTS }, PLATFORM);
  if (out.failures[0]) throw douyinError(out.failures[0]);
  return out.ended !== null;
}

/** The result of mapping a whole Response. */
export interface MappedResponse {
  events: BridgeEvent[];
  /** A ControlMessage said the broadcast ended. */
  liveEnded: boolean;
  /** Messages whose payload did not decode (each one a discard for the source). */
  failures: DouyinDecodeError[];
}

/** Maps every message of a decoded Response, in order; one bad message never spoils the rest. */
export function mapResponse(response: DouyinResponse, ctx: MappingContext): MappedResponse {
  const out = routeResponse({ messages: response.messages.map(asWebcast) }, DOUYIN_ROUTES, ctx, PLATFORM);
  return { events: out.events, liveEnded: out.ended !== null, failures: out.failures.map(douyinError) };
}
