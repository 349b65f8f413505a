/**
 * The shapes protobufjs hands back for proto/douyin.proto (64-bit fields as Long). They stay
 * inside this adapter: codec.ts and mapping.ts convert them to strings and numbers.
 */
import type Long from 'long';

/** A 64-bit field as protobufjs decodes it (a Long; a number only for defaults). */
export type U64 = Long | number;

/** A decoded PushFrame: one binary WebSocket frame. */
export interface RawPushFrame {
  seqId: U64;
  logId: U64;
  service: U64;
  method: U64;
  headers: { key: string; value: string }[];
  payloadEncoding: string;
  payloadType: string;
  payload: Uint8Array;
}

/** One Message inside a Response; `method` names the payload's type. */
export interface RawMessage {
  method: string;
  payload: Uint8Array;
  msgId: U64;
  msgType: number;
}

/** A decoded Response: a `msg` frame's payload or an im/fetch body, with resume and push-server hints. */
export interface RawResponse {
  messages: RawMessage[];
  cursor: string;
  fetchInterval: U64;
  now: U64;
  internalExt: string;
  routeParams: Record<string, string>;
  heartbeatDuration: U64;
  needAck: boolean;
  pushServer: string;
  proxyServer: string;
  pushServerV2: string;
}

/** The Common header every event message carries. */
export interface RawCommon {
  msgId: U64;
  createTime: U64;
}

/** A badge image; imageType 1 with content.level is the honour-level badge. */
export interface RawImage {
  imageType: number;
  content?: { level: U64 } | null;
}

/** A decoded User (only the fields the mapping reads). */
export interface RawUser {
  id: U64;
  nickname: string;
  /** Field 6, int32: a fallback after the honour badge and the pay grade. */
  level: number;
  badgeImageList: RawImage[];
  payGrade?: { level: U64 } | null;
  fansClub?: { data?: { clubName: string; level: number } | null } | null;
  displayId: string;
  secUid: string;
  idStr: string;
}

/** A gift's catalogue entry as a GiftMessage embeds it. */
export interface RawGiftStruct {
  id: U64;
  combo: boolean;
  diamondCount: number;
  name: string;
}

interface WithCommon {
  common?: RawCommon | null;
}

/** A decoded ChatMessage (a comment). */
export interface RawChatMessage extends WithCommon {
  user?: RawUser | null;
  content: string;
}

/** A decoded MemberMessage (a viewer joined). */
export interface RawMemberMessage extends WithCommon {
  user?: RawUser | null;
}

/** A decoded LikeMessage. */
export interface RawLikeMessage extends WithCommon {
  count: U64;
  user?: RawUser | null;
}

/** A decoded SocialMessage; `action` 1 is a follow. */
export interface RawSocialMessage extends WithCommon {
  user?: RawUser | null;
  action: U64;
}

/** A decoded GiftMessage, combo and group counts included. */
export interface RawGiftMessage extends WithCommon {
  giftId: U64;
  groupCount: U64;
  repeatCount: U64;
  comboCount: U64;
  user?: RawUser | null;
  repeatEnd: number;
  groupId: U64;
  gift?: RawGiftStruct | null;
  sendType: U64;
}

/** A decoded RoomUserSeqMessage: the room's viewer count. */
export interface RawRoomUserSeqMessage extends WithCommon {
  total: U64;
}

/** A decoded ControlMessage; `action` 3 means the broadcast ended. */
export interface RawControlMessage {
  action: U64;
}
