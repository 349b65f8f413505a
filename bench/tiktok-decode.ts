/**
 * TikTok decode + map throughput: gzip'd PushFrames of 20 mixed messages (chat, member, like,
 * gift, social, viewers) through the shared webcast decoder (one reusable inflater, hand-written
 * wire reader) and TikTok's route table, on one core. The floor, measured on the same frames in
 * the same run: plain gunzipSync + protobufjs decoding of the PushFrame, the Response and every
 * message with proto/tiktok.proto, without mapping.
 * Run: `npm run bench -- tiktok-decode`.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import Long from 'long';
import { lazyProtoRoot } from '../adapters/common/proto.js';
import { decodePushFrame } from '../adapters/webcast/envelope.js';
import { WebcastFrames } from '../adapters/webcast/frames.js';
import { DiscardReporter } from '../adapters/common/discard.js';
import { TIKTOK_PROTOCOL, TIKTOK_SHAPE } from '../adapters/tiktok/protocol.js';
import { measureInterleaved, measureThroughput } from './lib/throughput.js';
import { silentLogger } from './lib/harness.js';
import type { BenchModule, BenchRow } from './lib/types.js';

const DEFAULTS = { distinctFrames: 64, messagesPerFrame: 20, warmupMs: 500, measureMs: 2_000 } as const;
const TARGET_EVENTS_PER_SECOND = 800_000;

const root = lazyProtoRoot('tiktok.proto');
const type = (name: string) => root().lookupType(`tiktok.${name}`);
const u64 = (v: string | number) => Long.fromString(String(v), true);
const enc = (name: string, fields: Record<string, unknown>) => {
  const t = type(name);
  return t.encode(t.fromObject(fields)).finish();
};

function user(i: number) {
  return {
    id: u64(`7300000000${String(100_000_000 + i).slice(-9)}`),
    nickName: `viewer ${i} 🌹`,
    username: `viewer${i}`,
    secUid: `MS4wLjABAAAA${i}`,
    avatarThumb: { urlList: [`https://p16-sign-va.tiktokcdn.com/avatar/${i}~c5_100x100.webp`] },
    badgeList: i % 3 === 0 ? [{ badgeScene: 8, logExtra: { level: String(i % 50) } }] : [],
    fansClub: i % 2 === 0 ? { data: { clubName: 'Fan Club', level: i % 20 } } : undefined,
  };
}

/**
 * Real payloads carry much the bridge never reads (rendered text, image structs): 160 bytes of an
 * unknown length-delimited field (number 99) stand in for them, as in the Douyin bench.
 */
const UNKNOWN_TAIL = Buffer.concat([
  Buffer.from([0x9a, 0x06, 160, 0x01]),
  Buffer.alloc(160, 'https://p16-webcast.tiktokcdn.com/img/alisg/webcast-sg/'),
]);

const KINDS = ['ChatMessage', 'MemberMessage', 'LikeMessage', 'GiftMessage', 'SocialMessage', 'RoomUserSeqMessage'] as const;

function message(kind: (typeof KINDS)[number], i: number) {
  const msgId = u64(`74123456789${String(10_000_000 + i).slice(-8)}`);
  const common = {
    method: `Webcast${kind}`,
    msgId,
    roomId: u64('7412345678901234567'),
    createTime: u64(1_764_000_000_000 + i),
    displayText: kind === 'SocialMessage' ? { key: 'pm_main_follow_message_viewer_2' } : undefined,
  };
  const fields: Record<string, Record<string, unknown>> = {
    ChatMessage: { common, user: user(i), content: `hello host, comment ${i} 🎉` },
    MemberMessage: { common, user: user(i), memberCount: u64(30_000 + i) },
    LikeMessage: { common, user: user(i), count: u64(1 + (i % 15)), total: u64(100_000 + i) },
    GiftMessage: {
      common,
      user: user(i),
      repeatCount: u64(1 + (i % 9)),
      repeatEnd: i % 9 === 8 ? 1 : 0,
      groupId: u64(`17640000${i}`),
      gift: { id: u64(5655), name: 'Rose', diamondCount: 1, type: 1 },
    },
    SocialMessage: { common, user: user(i), action: u64(1) },
    RoomUserSeqMessage: { common, total: u64(30_600 + i), totalUser: u64(1_200_000) },
  };
  return { method: `Webcast${kind}`, payload: Buffer.concat([enc(kind, fields[kind]!), UNKNOWN_TAIL]), msgId };
}

/** Builds `count` distinct gzip'd msg frames of `perFrame` mixed messages. */
export function buildFrames(count: number = DEFAULTS.distinctFrames, perFrame: number = DEFAULTS.messagesPerFrame): Uint8Array[] {
  const frames: Uint8Array[] = [];
  for (let f = 0; f < count; f++) {
    const messages = Array.from({ length: perFrame }, (_, k) => message(KINDS[(f + k) % KINDS.length]!, f * perFrame + k));
    const response = enc('Response', { messages, cursor: `c-${f}`, internalExt: `ie-${f}`, needAck: true });
    frames.push(
      enc('PushFrame', {
        seqId: u64(f),
        logId: u64(`73000000000000${f}`),
        service: u64(88),
        method: u64(8),
        payloadType: 'msg',
        payloadEncoding: 'pb',
        headers: [{ key: 'compress_type', value: 'gzip' }],
        payload: gzipSync(response),
      }),
    );
  }
  return frames;
}

async function run(): Promise<BenchRow[]> {
  const frames = buildFrames();
  const discards = new DiscardReporter({ platform: 'tiktok', emit: () => {}, logger: silentLogger(), clock: { now: () => 0 } as never });
  const ctx = { source: 'bench', now: () => 0 };
  const decoder = new WebcastFrames(TIKTOK_PROTOCOL);
  const full = (frame: Uint8Array) => decoder.process(frame, ctx, discards).events.length;
  const types = Object.fromEntries(KINDS.map((k) => [`Webcast${k}`, type(k)]));
  const PushFrame = type('PushFrame');
  const Response = type('Response');
  const floor = (frame: Uint8Array) => {
    const f = PushFrame.decode(frame) as unknown as { payload: Uint8Array };
    const res = Response.decode(gunzipSync(f.payload)) as unknown as { messages: { method: string; payload: Uint8Array }[] };
    for (const m of res.messages) types[m.method]!.decode(m.payload);
    return res.messages.length;
  };
  // Sanity: both lines see every message of every frame.
  if (
    full(frames[0]!) !== DEFAULTS.messagesPerFrame ||
    floor(frames[0]!) !== DEFAULTS.messagesPerFrame ||
    decodePushFrame(frames[0]!, TIKTOK_SHAPE.schema, 'tiktok').payloadType !== 'msg'
  )
    throw new Error('tiktok bench frames do not decode to 20 events');
  measureThroughput(frames, full, DEFAULTS.warmupMs);
  measureThroughput(frames, floor, DEFAULTS.warmupMs);
  // Alternating slices: both lines see the same machine load (it is shared).
  const [mapped, decodeOnly] = measureInterleaved(frames, full, floor, 2 * DEFAULTS.measureMs);
  const notes = `${DEFAULTS.distinctFrames} distinct gzip'd frames of ${DEFAULTS.messagesPerFrame} mixed messages, one core, ${2 * DEFAULTS.measureMs} ms each in 8 alternating slices after ${DEFAULTS.warmupMs} ms warm-up`;
  const ratio = mapped.eventsPerSecond / decodeOnly.eventsPerSecond;
  return [
    {
      name: 'tiktok decode + map',
      value: mapped.eventsPerSecond,
      unit: 'events/s',
      target: `≥ ${TARGET_EVENTS_PER_SECOND} and ≥ the floor`,
      pass: mapped.eventsPerSecond >= TARGET_EVENTS_PER_SECOND && ratio >= 1,
      notes: `${notes}; PushFrame → reused inflater → Response → route table; ${ratio.toFixed(2)} × the floor`,
    },
    {
      name: 'tiktok gunzipSync + protobufjs decode (floor)',
      value: decodeOnly.eventsPerSecond,
      unit: 'events/s',
      notes: `${notes}; the floor, without mapping`,
    },
  ];
}

const bench: BenchModule = { name: 'tiktok-decode', run };
export default bench;
