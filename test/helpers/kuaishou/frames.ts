/**
 * Builds real Kuaishou wire bytes as the fake server sends them (SocketMessages around feed
 * pushes, acks, errors, pauses), and reads the frames the client sends. Encoded with
 * kuaishou-wire.proto (proto/kuaishou.proto's field numbers plus fields the bridge never reads).
 */
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import Long from 'long';
import protobuf from 'protobufjs';
// Loaded for its side effect: protobufjs configured with Long before any schema is built.
import '../../../adapters/common/proto.js';

const wire = protobuf.loadSync(fileURLToPath(new URL('./kuaishou-wire.proto', import.meta.url)));
const T = (name: string) => wire.lookupType(`kuaishouwire.${name}`);

/** Payload type numbers (PayloadType). */
export const TYPE = {
  csHeartbeat: 1,
  scHeartbeatAck: 101,
  scError: 103,
  csEnterRoom: 200,
  csUserExit: 202,
  scEnterRoomAck: 300,
  scAuthorPause: 301,
  scAuthorResume: 302,
  scFeedPush: 310,
  scLiveWatchingList: 340,
  /** A type the bridge does not map (rich-text comments, Dec 2025). */
  scCommentZoneRichText: 829,
} as const;

/** compressionType values. */
export const COMPRESSION = { none: 1, gzip: 2, aes: 3 } as const;
export type Compression = keyof typeof COMPRESSION | number;

function u64(n: number | string): Long {
  return Long.fromString(String(n), true);
}

function encode(type: string, value: Record<string, unknown>): Uint8Array {
  const t = T(type);
  const err = t.verify(value);
  if (err) throw new Error(`${type}: ${err}`);
  return t.encode(t.fromObject(value)).finish();
}

/** A SocketMessage whose payload bytes go out exactly as given, flagged `compressionType` (corrupt gzip, ...). */
export function rawSocketMessage(payloadType: number, payload: Uint8Array, compressionType: number): Buffer {
  return Buffer.from(encode('SocketMessage', { payloadType, compressionType, payload }));
}

/** A SocketMessage around `payload`, compressed as asked (AES: the bytes as given, flagged AES). */
export function socketMessage(payloadType: number, payload: Uint8Array, compression: Compression = 'none'): Buffer {
  const code = typeof compression === 'number' ? compression : COMPRESSION[compression];
  const body = code === COMPRESSION.gzip ? gzipSync(payload) : payload;
  return Buffer.from(encode('SocketMessage', { payloadType, compressionType: code, payload: body }));
}

export interface UserSpec {
  id: string;
  name: string;
  /** wealthGrade. */
  wealth?: number;
  /** A fans-group badge and its intimacy level. */
  fans?: { name: string; level: number };
  /** Other badges that must not be taken for the fans badge. */
  otherBadges?: { icon: string; name: string }[];
}

function user(spec: UserSpec): Record<string, unknown> {
  return { principalId: spec.id, userName: spec.name, headUrl: `https://p4.a.yximgs.com/uhead/AB/${spec.id}.jpg` };
}

function audience(spec: UserSpec): Record<string, unknown> {
  const badges = [
    ...(spec.otherBadges ?? []).map((b) => ({ inner: { s1: 'x', badgeIcon: b.icon, int3: 1, badgeName: b.name } })),
    ...(spec.fans ? [{ inner: { s1: 'fg', badgeIcon: `fans_group_lv${spec.fans.level}`, int3: 2, badgeName: spec.fans.name } }] : []),
  ];
  return {
    isFromFansTop: false,
    fansGroupIntimacyLevel: spec.fans?.level ?? 0,
    nameplate: { id: u64(7), name: 'plate' },
    liveFansGroupState: spec.fans ? { intimacyLevel: spec.fans.level, enterRoomSpecialEffect: 1 } : undefined,
    wealthGrade: spec.wealth ?? 0,
    badgeKey: 'bk',
    badges,
  };
}

export interface CommentSpec {
  id: string;
  user: UserSpec;
  content: string;
  time: number;
}

export interface LikeSpec {
  id: string;
  user: UserSpec;
}

export interface GiftSpec {
  id: string;
  user: UserSpec;
  giftId: number;
  time: number;
  mergeKey?: string;
  batchSize?: number;
  comboCount?: number;
}

/** What one SC_FEED_PUSH carries. */
export interface FeedSpec {
  viewers?: string;
  comments?: CommentSpec[];
  likes?: LikeSpec[];
  gifts?: GiftSpec[];
}

/** An SCWebFeedPush payload (with the share, system and combo-comment lists the bridge skips). */
export function feedPushPayload(spec: FeedSpec): Uint8Array {
  return encode('SCWebFeedPush', {
    displayWatchingCount: spec.viewers ?? '',
    displayLikeCount: '1.5万',
    pendingLikeCount: u64(3),
    pushInterval: u64(1000),
    commentFeeds: (spec.comments ?? []).map((c) => ({
      id: c.id,
      user: user(c.user),
      content: c.content,
      deviceHash: 'dh',
      sortRank: u64(c.time),
      color: '#FFFFFF',
      showType: 1,
      senderState: audience(c.user),
      time: u64(c.time),
    })),
    commentCursor: 'cc',
    comboCommentFeed: [{ id: 'combo-comment', content: '666', comboCount: 3 }],
    likeFeeds: (spec.likes ?? []).map((l) => ({
      id: l.id,
      user: user(l.user),
      sortRank: u64(1),
      deviceHash: 'dh',
      liveAudienceState: audience(l.user),
    })),
    giftFeeds: (spec.gifts ?? []).map((g) => ({
      id: g.id,
      user: user(g.user),
      time: u64(g.time),
      giftId: g.giftId,
      sortRank: u64(g.time),
      mergeKey: g.mergeKey ?? '',
      batchSize: g.batchSize ?? 1,
      comboCount: g.comboCount ?? 1,
      rank: 1,
      expireDuration: u64(300000),
      clientTimestamp: u64(g.time),
      slotDisplayDuration: u64(3000),
      starLevel: 0,
      styleType: 1,
      deviceHash: 'dh',
      danmakuDisplay: true,
      liveAudienceState: audience(g.user),
    })),
    giftCursor: 'gc',
    systemNoticeFeeds: [{ id: 'sys-1', content: '欢迎来到直播间', time: u64(1) }],
    shareFeeds: [{ id: 'share-1', user: { principalId: 'sharer', userName: '分享者' }, time: u64(1), thirdPartyPlatform: 2 }],
  });
}

/** An SC_FEED_PUSH frame. */
export function feedPush(spec: FeedSpec, compression: Compression = 'gzip'): Buffer {
  return socketMessage(TYPE.scFeedPush, feedPushPayload(spec), compression);
}

/** An SC_LIVE_WATCHING_LIST frame (a ranking, plus the display count). */
export function watchingList(display: string, compression: Compression = 'gzip'): Buffer {
  const payload = encode('SCWebLiveWatchingUsers', {
    watchingUser: [{ user: { principalId: 'tuhao', userName: '土豪' }, offline: false, tuhao: true, displayKsCoin: '1万' }],
    displayWatchingCount: display,
    pendingDuration: u64(10000),
  });
  return socketMessage(TYPE.scLiveWatchingList, payload, compression);
}

export function enterRoomAck(heartbeatIntervalMs: number): Buffer {
  const payload = encode('SCWebEnterRoomAck', {
    minReconnectMs: u64(1000),
    maxReconnectMs: u64(10000),
    heartbeatIntervalMs: u64(heartbeatIntervalMs),
  });
  return socketMessage(TYPE.scEnterRoomAck, payload, 'none');
}

export function heartbeatAck(now: number, clientTimestamp: number): Buffer {
  return socketMessage(TYPE.scHeartbeatAck, encode('SCWebHeartbeatAck', { timestamp: u64(now), clientTimestamp: u64(clientTimestamp) }));
}

export function scError(code: number, msg: string, subCode = 0): Buffer {
  return socketMessage(TYPE.scError, encode('SCWebError', { code, msg, subCode }));
}

export function authorPause(time: number): Buffer {
  return socketMessage(TYPE.scAuthorPause, encode('SCWebAuthorPause', { time: u64(time), pauseType: 1 }));
}

export function authorResume(time: number): Buffer {
  return socketMessage(TYPE.scAuthorResume, encode('SCWebAuthorResume', { time: u64(time) }));
}

/** What the client sent, decoded. */
export type ClientFrame =
  | { type: 'enter_room'; token: string; liveStreamId: string; reconnectCount: number; pageId: string }
  | { type: 'heartbeat'; timestamp: number }
  | { type: 'user_exit' }
  | { type: 'other'; payloadType: number };

/** Reads one frame the client sent. */
export function readClientFrame(bytes: Uint8Array): ClientFrame {
  const m = T('SocketMessage').toObject(T('SocketMessage').decode(bytes), { longs: String }) as {
    payloadType?: number;
    payload?: Uint8Array;
  };
  const payload = m.payload ?? new Uint8Array(0);
  switch (m.payloadType) {
    case TYPE.csEnterRoom: {
      const e = T('CSWebEnterRoom').toObject(T('CSWebEnterRoom').decode(payload), { defaults: true }) as {
        token: string;
        liveStreamId: string;
        reconnectCount: number;
        pageId: string;
      };
      return { type: 'enter_room', token: e.token, liveStreamId: e.liveStreamId, reconnectCount: e.reconnectCount, pageId: e.pageId };
    }
    case TYPE.csHeartbeat: {
      const h = T('CSWebHeartbeat').toObject(T('CSWebHeartbeat').decode(payload), { longs: String, defaults: true }) as {
        timestamp: string;
      };
      return { type: 'heartbeat', timestamp: Number(h.timestamp) };
    }
    case TYPE.csUserExit:
      return { type: 'user_exit' };
    default:
      return { type: 'other', payloadType: m.payloadType ?? 0 };
  }
}
