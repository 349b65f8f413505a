/**
 * Builds real TikTok wire bytes with protobufjs from proto/tiktok.proto: event payloads,
 * Responses (fetch results) and gzip'd `msg` PushFrames, as the fake TikTok sends them. Messages
 * carry fields the bridge never reads (avatars, the receiving anchor, rendered text, room totals)
 * so the hand-written decoders must skip them as on real traffic.
 */
import { gzipSync } from 'node:zlib';
import Long from 'long';
import { lazyProtoRoot } from '../../../adapters/common/proto.js';

const root = lazyProtoRoot('tiktok.proto');
const type = (name: string) => root().lookupType(`tiktok.${name}`);

/** A u64 from a decimal string, exact over the whole range. */
export function u64(value: string | number): Long {
  return Long.fromString(String(value), true);
}

/** Encodes `fields` as proto/tiktok.proto's message `name`. */
export function encode(name: string, fields: Record<string, unknown>): Uint8Array {
  const t = type(name);
  return t.encode(t.fromObject(fields)).finish();
}

/** Decodes bytes as `name` into a plain object (u64 as strings): what the fake reads from the client. */
export function decode(name: string, bytes: Uint8Array): Record<string, unknown> {
  const t = type(name);
  return t.toObject(t.decode(bytes), { longs: String, defaults: true }) as Record<string, unknown>;
}

export interface UserSpec {
  id: string;
  nickname: string;
  handle?: string;
  /** The user-grade badge (scene 8) level. */
  grade?: number;
  club?: { name: string; level: number };
  /** Leave field 1 out: the id then comes from idStr. */
  idOnlyAsString?: boolean;
}

/** A User message object (for encoding), with a subscriber badge before the grade badge. */
export function user(spec: UserSpec): Record<string, unknown> {
  return {
    id: spec.idOnlyAsString ? undefined : u64(spec.id),
    idStr: spec.id,
    nickName: spec.nickname,
    username: spec.handle ?? `user${spec.id.slice(-4)}`,
    secUid: `MS4wLjABAAAA-${spec.id}`,
    avatarThumb: { urlList: [`https://p16-sign-va.tiktokcdn.com/${spec.id}~c5_100x100.webp`] },
    followInfo: { followStatus: 1 },
    badgeList: [
      { badgeScene: 4, logExtra: { level: '3' } },
      ...(spec.grade === undefined ? [] : [{ badgeScene: 8, logExtra: { level: String(spec.grade) } }]),
    ],
    fansClub: spec.club ? { data: { clubName: spec.club.name, level: spec.club.level } } : undefined,
  };
}

/** A Common header. */
export function common(method: string, msgId: string, roomId: string, createTime: number, displayKey = ''): Record<string, unknown> {
  return {
    method,
    msgId: u64(msgId),
    roomId: u64(roomId),
    createTime: u64(createTime),
    describe: `${method} rendered`,
    displayText: displayKey ? { key: displayKey, defaultPattern: '{0:user} did something' } : undefined,
    clientSendTime: u64(createTime - 5),
  };
}

/** One Message of a Response: method `Webcast<type>`, the encoded payload, msgId. */
export interface MessageSpec {
  type: string;
  msgId: string;
  fields: Record<string, unknown>;
  isHistory?: boolean;
}

/** A message entry whose payload is raw bytes (hostile input). */
export interface RawMessageSpec {
  method: string;
  msgId: string;
  payload: Uint8Array;
}

export interface ResponseSpec {
  messages: (MessageSpec | RawMessageSpec)[];
  cursor?: string;
  internalExt?: string;
  needAck?: boolean;
  heartbeatDuration?: number;
  pushServer?: string;
  routeParams?: Record<string, string>;
  isFirst?: boolean;
}

/** Encodes a Response (ProtoMessageFetchResult). */
export function response(spec: ResponseSpec): Uint8Array {
  return encode('Response', {
    messages: spec.messages.map((m) =>
      'type' in m
        ? {
            method: `Webcast${m.type}`,
            payload: encode(m.type, m.fields),
            msgId: u64(m.msgId),
            msgType: 1,
            isHistory: m.isHistory ?? false,
          }
        : { method: m.method, payload: m.payload, msgId: u64(m.msgId) },
    ),
    cursor: spec.cursor ?? '',
    internalExt: spec.internalExt ?? '',
    needAck: spec.needAck ?? false,
    heartbeatDuration: u64(spec.heartbeatDuration ?? 0),
    pushServer: spec.pushServer ?? '',
    routeParams: spec.routeParams ?? {},
    isFirst: spec.isFirst ?? false,
    fetchInterval: u64(1000),
    now: u64(Date.UTC(2026, 10, 24)),
    historyNoMore: true,
  });
}

/** A `msg` PushFrame around a Response, gzip'd with the compress_type header unless told otherwise. */
export function msgFrame(spec: ResponseSpec, opts: { logId?: string; seqId?: string; gzip?: boolean } = {}): Uint8Array {
  const body = response(spec);
  const gz = opts.gzip ?? true;
  return encode('PushFrame', {
    seqId: u64(opts.seqId ?? '1'),
    logId: u64(opts.logId ?? '7300000000000000001'),
    // service and method are u64 on the wire: real values, so a string-typed decoder would fail.
    service: u64(88),
    method: u64(8),
    headers: gz ? [{ key: 'compress_type', value: 'gzip' }] : [],
    payloadEncoding: 'pb',
    payloadType: 'msg',
    payload: gz ? gzipSync(body) : body,
  });
}

/** A PushFrame with only a payload type and payload (im_enter_room_resp, hb echoes). */
export function plainFrame(payloadType: string, payload: Uint8Array = new Uint8Array()): Uint8Array {
  return encode('PushFrame', { payloadType, payloadEncoding: 'pb', payload });
}
