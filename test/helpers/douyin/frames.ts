/**
 * Builds real Douyin wire bytes: event payloads, Responses and (gzip'd) PushFrames, as the fake
 * push server sends them. Encoded with douyin-wire.proto (proto/douyin.proto's field numbers plus
 * fields the bridge never reads), so the decoder under test skips real-looking extra fields.
 */
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import Long from 'long';
import protobuf from 'protobufjs';
// Loaded for its side effect: protobufjs configured with Long before any schema is built.
import '../../../adapters/douyin/proto.js';

const wire = protobuf.loadSync(fileURLToPath(new URL('./douyin-wire.proto', import.meta.url)));
const douyinType = (name: string) => wire.lookupType(`douyinwire.${name}`);

/** A u64 from a decimal string, exact over the whole range. */
export function u64(value: string | number): Long {
  return Long.fromString(String(value), true);
}

export interface UserSpec {
  id: string;
  nickname: string;
  payLevel?: number;
  honourLevel?: number;
  club?: { name: string; level: number };
}

/** A User message object (for encoding). */
export function user(spec: UserSpec): Record<string, unknown> {
  return {
    id: u64(spec.id),
    shortId: u64(Number(spec.id.slice(-9))),
    nickname: spec.nickname,
    gender: 2,
    avatarThumb: {
      urlList: [
        `https://p3-webcast.douyinpic.com/img/mosaic-legacy/${spec.id}~100x100.webp`,
        `https://p11-webcast.douyinpic.com/img/mosaic-legacy/${spec.id}~100x100.webp`,
      ],
      uri: `mosaic-legacy/${spec.id}`,
    },
    secUid: `MS4wLjABAAAA${spec.id}`,
    payGrade: spec.payLevel === undefined ? undefined : { level: u64(spec.payLevel), name: `lv${spec.payLevel}` },
    badgeImageList:
      spec.honourLevel === undefined
        ? []
        : [
            { uri: 'webcast/fansclub_badge.png', imageType: 7 },
            {
              uri: `new_user_grade_level_v1_${spec.honourLevel}.png`,
              imageType: 1,
              content: { level: u64(spec.honourLevel), alternativeText: `荣誉等级${spec.honourLevel}级勋章` },
            },
          ],
    fansClub: spec.club ? { data: { clubName: spec.club.name, level: spec.club.level } } : undefined,
  };
}

/** A Common for a message created at `createTime` ms. */
export function common(method: string, msgId: string, roomId: string, createTime: number): Record<string, unknown> {
  return { method, msgId: u64(msgId), roomId: u64(roomId), createTime: u64(createTime), describe: `${method} rendered text` };
}

/** Encodes `fields` as the schema's message `type` (e.g. `ChatMessage`). */
export function encode(type: string, fields: Record<string, unknown>): Uint8Array {
  const t = douyinType(type);
  return t.encode(t.fromObject(fields)).finish();
}

/** One Message of a Response: method `Webcast<type>`, the encoded payload, msgId. */
export interface MessageSpec {
  type: string;
  msgId: string;
  fields: Record<string, unknown>;
}

/** A message entry whose payload is raw bytes (for hostile input). */
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
  fetchInterval?: number;
}

/** Encodes a Response. */
export function response(spec: ResponseSpec): Uint8Array {
  return encode('Response', {
    messages: spec.messages.map((m) =>
      'type' in m
        ? { method: `Webcast${m.type}`, payload: encode(m.type, m.fields), msgId: u64(m.msgId) }
        : { method: m.method, payload: m.payload, msgId: u64(m.msgId) },
    ),
    cursor: spec.cursor ?? '',
    internalExt: spec.internalExt ?? '',
    needAck: spec.needAck ?? false,
    heartbeatDuration: u64(spec.heartbeatDuration ?? 0),
    pushServer: spec.pushServer ?? '',
    fetchInterval: u64(spec.fetchInterval ?? 0),
    now: u64(Date.UTC(2026, 10, 24)),
  });
}

/** A `msg` PushFrame around a gzip'd Response (gzip optional, as the real server's header says). */
export function msgFrame(spec: ResponseSpec, opts: { logId?: string; seqId?: string; gzip?: boolean } = {}): Uint8Array {
  const body = response(spec);
  const gz = opts.gzip ?? true;
  return encode('PushFrame', {
    seqId: u64(opts.seqId ?? '1'),
    logId: u64(opts.logId ?? '7000000000000000001'),
    headers: gz ? [{ key: 'compress_type', value: 'gzip' }] : [],
    payloadEncoding: 'pb',
    payloadType: 'msg',
    payload: gz ? gzipSync(body) : body,
  });
}

/** A PushFrame with only a payload type (e.g. `close`). */
export function controlFrame(payloadType: string): Uint8Array {
  return encode('PushFrame', { payloadType });
}
