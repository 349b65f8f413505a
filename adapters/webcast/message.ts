/**
 * What every webcast event message shares, in both platforms: the Common header in field 1
 * (message id, creation time, the display-text key), the event id and time rules, and one scanner
 * for the simple messages (Common, a user, at most one more field), so a route handler is a few
 * lines. The user reader is the platform's own (their User messages differ).
 */
import type { User } from '../../src/core/events.js';
import type { WebcastMessage } from './envelope.js';
import type protobuf from 'protobufjs';
import { Reader, u64ToString, WIRE, WireError } from './reader.js';
import { optionalTagOf, tagOf, tagsOf } from './tags.js';
import { messageEventId } from './route.js';

/** What the mappings read from the Common header. */
export interface Common {
  /** The header's message id as u64 halves: turned into a string only when the Message has none. */
  msgIdLo: number;
  msgIdHi: number;
  /** Creation time, ms (0 when absent). */
  createTime: number;
  /** displayText.key (field 8 → 1): TikTok tells a follow from a share by it. */
  displayKey: string;
}

/** The Common of a message without one. */
export const EMPTY_COMMON: Readonly<Common> = Object.freeze({ msgIdLo: 0, msgIdHi: 0, createTime: 0, displayKey: '' });

/** The Common header's tags, from the platform's .proto (displayText is -1 when it has none). */
export interface CommonTags {
  msgId: number;
  createTime: number;
  displayText: number;
  textKey: number;
}

/** Looks the Common header's tags up in the platform's `Common` message (and `Text` for the key). */
export function commonTags(common: protobuf.Type): CommonTags {
  const displayText = common.fields.displayText;
  const text = displayText ? (displayText.resolve().resolvedType as protobuf.Type) : undefined;
  return {
    ...tagsOf(common, ['msgId', 'createTime']),
    displayText: optionalTagOf(common, 'displayText'),
    textKey: text ? tagOf(text, 'key') : -1,
  };
}

/** Skips one unread field; a field number 0 is not protobuf. */
export function skipField(r: Reader, t: number): void {
  if (t >>> 3 === 0) throw new WireError('field number 0');
  r.skip(t & 7);
}

function readTextKey(r: Reader, end: number, T: CommonTags): string {
  let key = '';
  while (r.pos < end) {
    const t = r.uint32();
    if (t === T.textKey) key = r.string();
    else skipField(r, t);
  }
  r.finish(end);
  return key;
}

/** Reads a Common (the reader is at its first field; `end` is where it stops). */
export function readCommon(r: Reader, end: number, T: CommonTags): Common {
  const c: Common = { msgIdLo: 0, msgIdHi: 0, createTime: 0, displayKey: '' };
  while (r.pos < end) {
    const t = r.uint32();
    if (t === T.msgId) {
      r.varint64();
      c.msgIdLo = r.lo;
      c.msgIdHi = r.hi;
    } else if (t === T.createTime) c.createTime = r.u64Number();
    else if (t === T.displayText) c.displayKey = readTextKey(r, r.bytesEnd(), T);
    else skipField(r, t);
  }
  r.finish(end);
  return c;
}

/** The event id: the Message's msgId, else the Common's, else a stable digest. */
export function eventId(message: WebcastMessage, common: Common): string {
  return message.hasMsgId ? message.msgId : messageEventId(message, u64ToString(common.msgIdLo, common.msgIdHi));
}

/** The event time: the Common's createTime (ms), else `now()`. */
export function eventTs(common: Common, now: () => number): number {
  return common.createTime > 0 ? common.createTime : now();
}

/** Reads a platform's User (the reader is at its first field; `end` is where it stops). */
export type UserReader = (r: Reader, end: number) => User;

/** What {@link scan} read. */
export interface Scanned {
  common: Common;
  user: User | undefined;
  /** The extra field when it is length-delimited (a string). */
  text: string;
  /** The extra field when it is a varint (a count, clamped to 2^53−1). */
  number: number;
}

/** Which fields {@link scan} reads, as tags: the Common header, the user, the one extra field (-1: none). */
export interface ScanFields {
  common: number;
  user: number;
  extra: number;
  /** How to read the Common header. */
  commonTags: CommonTags;
}

/** The scan fields of `type`: its `common`, the named user field and extra field (either may be absent). */
export function scanFields(type: protobuf.Type, commonTagsOf: CommonTags, user: string | undefined, extra?: string): ScanFields {
  return {
    common: tagOf(type, 'common'),
    user: user ? tagOf(type, user) : -1,
    extra: extra ? tagOf(type, extra) : -1,
    commonTags: commonTagsOf,
  };
}

/** Reads a simple event message: the Common header, the user, and the extra field. */
export function scan(message: WebcastMessage, fields: ScanFields, readUser: UserReader): Scanned {
  const r = new Reader(message.body, message.start);
  const end = message.end;
  const out: Scanned = { common: EMPTY_COMMON, user: undefined, text: '', number: 0 };
  while (r.pos < end) {
    const t = r.uint32();
    if (t === fields.common) out.common = readCommon(r, r.bytesEnd(), fields.commonTags);
    else if (t === fields.user) out.user = readUser(r, r.bytesEnd());
    else if (t === fields.extra) {
      if ((t & 7) === WIRE.bytes) out.text = r.string();
      else out.number = r.u64Number();
    } else skipField(r, t);
  }
  r.finish(end);
  return out;
}
