/**
 * TikTok's User read straight off the wire (field numbers in proto/tiktok.proto) and turned at
 * once into the bridge's User.
 * Only the fields the mapping reads are decoded; everything else is skipped by wire type.
 */
import type { User } from '../../src/core/events.js';
import { skipField } from '../webcast/message.js';
import type { Reader } from '../webcast/reader.js';
import { decodeUtf8, internString } from '../webcast/reader.js';
import { tagsOf } from '../webcast/tags.js';
import { tiktokType } from './proto.js';

/** Badge scene of the user-grade badge, whose log extra carries the level. */
const BADGE_SCENE_USER_GRADE = 8;
const MAX_SAFE = Number.MAX_SAFE_INTEGER;

// Every tag read below comes from proto/tiktok.proto, looked up by message and field name.
const U = tagsOf(tiktokType('User'), ['id', 'nickName', 'fansClub', 'username', 'secUid', 'badgeList', 'idStr']);
const CLUB = tagsOf(tiktokType('FansClub'), ['data']);
const CLUB_DATA = tagsOf(tiktokType('FansClubData'), ['clubName', 'level']);
const BADGE = tagsOf(tiktokType('BadgeStruct'), ['badgeScene', 'logExtra']);
const LOG_EXTRA = tagsOf(tiktokType('PrivilegeLogExtra'), ['level']);
const T = {
  userId: U.id,
  userNick: U.nickName,
  userFansClub: U.fansClub,
  userUsername: U.username,
  userSecUid: U.secUid,
  userBadge: U.badgeList,
  userIdStr: U.idStr,
  clubData: CLUB.data,
  clubName: CLUB_DATA.clubName,
  clubLevel: CLUB_DATA.level,
  badgeScene: BADGE.badgeScene,
  badgeLogExtra: BADGE.logExtra,
  logExtraLevel: LOG_EXTRA.level,
} as const;

/** A level or count that fits MetaStudio's non-negative integers. */
export function clampLevel(n: number): number {
  return n > 0 ? Math.min(Math.floor(n), MAX_SAFE) : 0;
}

/** A decimal string level ("23") read from its bytes; 0 for anything but 1–15 digits. */
function readDigits(r: Reader): number {
  const end = r.bytesEnd();
  const buf = r.buf;
  let n = 0;
  if (end - r.pos > 15 || end === r.pos) n = -1;
  for (let i = r.pos; i < end && n >= 0; i++) {
    const d = buf[i]! - 0x30;
    n = d >= 0 && d <= 9 ? n * 10 + d : -1;
  }
  r.pos = end;
  return n > 0 ? n : 0;
}

/** One badge: its level when it is the user-grade badge, else -1. */
function readBadge(r: Reader, end: number): number {
  let scene = 0;
  let level = 0;
  while (r.pos < end) {
    const t = r.uint32();
    if (t === T.badgeScene) scene = r.int32();
    else if (t === T.badgeLogExtra) {
      const xEnd = r.bytesEnd();
      while (r.pos < xEnd) {
        const x = r.uint32();
        if (x === T.logExtraLevel) level = readDigits(r);
        else skipField(r, x);
      }
      r.finish(xEnd);
    } else skipField(r, t);
  }
  r.finish(end);
  return scene === BADGE_SCENE_USER_GRADE ? level : -1;
}

/** The fan club's name and level into `user`. */
function readFansClub(r: Reader, end: number, user: User): void {
  while (r.pos < end) {
    const t = r.uint32();
    if (t === T.clubData) {
      const dEnd = r.bytesEnd();
      while (r.pos < dEnd) {
        const d = r.uint32();
        if (d === T.clubName) user.badge = internString(r.buf, r.skipBytes(), r.pos);
        else if (d === T.clubLevel) user.badgeLevel = clampLevel(r.int32());
        else skipField(r, d);
      }
      r.finish(dEnd);
    } else skipField(r, t);
  }
  r.finish(end);
}

/** A user nobody sent (a message without one). */
export function anonymousUser(): User {
  return { id: '0', name: '', level: 0, badge: '', badgeLevel: 0 };
}

/**
 * Reads a User into the bridge's shape: id from field 1 (u64 as a string), else idStr, secUid
 * or the @handle; level from the user-grade badge (scene 8); badge and badge level from the fan club.
 */
export function readUser(r: Reader, end: number): User {
  const user: User = { id: '0', name: '', level: 0, badge: '', badgeLevel: 0 };
  // The fallback ids are decoded only when field 1 is missing: remember where they are.
  let idStr = -1;
  let idStrEnd = 0;
  let secUid = -1;
  let secUidEnd = 0;
  let username = -1;
  let usernameEnd = 0;
  while (r.pos < end) {
    const t = r.uint32();
    switch (t) {
      case T.userId:
        user.id = r.u64String();
        break;
      case T.userNick:
        user.name = r.string();
        break;
      case T.userFansClub:
        readFansClub(r, r.bytesEnd(), user);
        break;
      case T.userBadge: {
        const level = readBadge(r, r.bytesEnd());
        if (level > 0 && user.level === 0) user.level = clampLevel(level);
        break;
      }
      case T.userUsername:
        username = r.skipBytes();
        usernameEnd = r.pos;
        break;
      case T.userSecUid:
        secUid = r.skipBytes();
        secUidEnd = r.pos;
        break;
      case T.userIdStr:
        idStr = r.skipBytes();
        idStrEnd = r.pos;
        break;
      default:
        skipField(r, t);
    }
  }
  r.finish(end);
  if (user.id === '0') {
    const b = r.buf;
    if (idStrEnd > idStr && idStr >= 0) user.id = decodeUtf8(b, idStr, idStrEnd);
    else if (secUidEnd > secUid && secUid >= 0) user.id = decodeUtf8(b, secUid, secUidEnd);
    else if (usernameEnd > username && username >= 0) user.id = decodeUtf8(b, username, usernameEnd);
  }
  return user;
}
