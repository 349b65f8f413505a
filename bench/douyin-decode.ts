/**
 * Douyin decode + map throughput: gzip'd PushFrames of 20 mixed messages (chat, member, like,
 * gift, social, viewers), through the live path (the shared webcast decoder: one reusable
 * inflater, hand-written wire reader, Douyin's route table), on one core. The floor, on the same
 * frames in the same run: plain gunzipSync + protobufjs decoding of the PushFrame, the Response
 * and every message with proto/douyin.proto, without mapping.
 * Run: `npm run bench -- douyin-decode`.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import Long from 'long';
import { GiftTable } from '../adapters/douyin/gift-table.js';
import { DouyinFrames } from '../adapters/douyin/frame-processor.js';
import { DiscardReporter } from '../adapters/common/discard.js';
import { silentLogger } from './lib/harness.js';
import { douyinType } from '../adapters/douyin/proto.js';
import { measureInterleaved, measureThroughput } from './lib/throughput.js';
import type { BenchModule, BenchRow } from './lib/types.js';

const DEFAULTS = { distinctFrames: 64, messagesPerFrame: 20, warmupMs: 500, measureMs: 2_000 } as const;

const u64 = (v: string | number) => Long.fromString(String(v), true);
const enc = (type: string, fields: Record<string, unknown>) => {
  const t = douyinType(type);
  return t.encode(t.fromObject(fields)).finish();
};

function user(i: number) {
  return {
    id: u64(`7300000000${String(100_000_000 + i).slice(-9)}`),
    nickname: `观众${i}号🌸`,
    payGrade: { level: u64(i % 50) },
    badgeImageList: i % 3 === 0 ? [{ imageType: 1, uri: 'new_user_grade_level_v1_13.png', content: { level: u64(13) } }] : [],
    fansClub: i % 2 === 0 ? { data: { clubName: '粉丝团', level: i % 20 } } : undefined,
  };
}

/**
 * Real payloads carry much the bridge never reads (avatar URL lists, rendered text, room
 * structs): 160 bytes of an unknown length-delimited field (number 99) stand in for them, so the
 * decoder's skipping is part of the measure.
 */
const UNKNOWN_TAIL = Buffer.concat([
  Buffer.from([0x9a, 0x06, 160, 0x01]),
  Buffer.alloc(160, 'https://p3-webcast.douyinpic.com/img/webcast/avatar~tplv-obj.image'),
]);

const KINDS = ['ChatMessage', 'MemberMessage', 'LikeMessage', 'GiftMessage', 'SocialMessage', 'RoomUserSeqMessage'] as const;

function message(kind: (typeof KINDS)[number], i: number) {
  const msgId = u64(`76538870156${String(10_000_000 + i).slice(-8)}`);
  const common = { method: `Webcast${kind}`, msgId, roomId: u64('7653887015607454502'), createTime: u64(1_764_000_000_000 + i) };
  const fields: Record<string, Record<string, unknown>> = {
    ChatMessage: { common, user: user(i), content: `主播好 第${i}条 comment 🎉` },
    MemberMessage: { common, user: user(i), memberCount: u64(30_000 + i) },
    LikeMessage: { common, user: user(i), count: u64(1 + (i % 15)), total: u64(100_000 + i) },
    GiftMessage: {
      common,
      user: user(i),
      giftId: u64(463),
      groupCount: u64(1),
      repeatCount: u64(1 + (i % 9)),
      repeatEnd: i % 9 === 8 ? 1 : 0,
      groupId: u64(`17640000${i}`),
      gift: { id: u64(463), name: '玫瑰', diamondCount: 1, combo: true },
      sendType: u64(4),
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
    const response = enc('Response', { messages, cursor: `c-${f}`, internalExt: `ie-${f}`, needAck: false });
    frames.push(
      enc('PushFrame', {
        seqId: u64(f),
        logId: u64(`70000000000000${f}`),
        payloadType: 'msg',
        payloadEncoding: 'pb',
        headers: [{ key: 'compress_type', value: 'gzip' }],
        payload: gzipSync(response),
      }),
    );
  }
  return frames;
}

const TARGET_EVENTS_PER_SECOND = 800_000;

/** Runs both measurements and returns the table rows. */
async function run(): Promise<BenchRow[]> {
  const frames = buildFrames();
  const ctx = { source: 'bench', giftTable: new GiftTable(), now: () => 0 };
  const discards = new DiscardReporter({ platform: 'douyin', emit: () => {}, logger: silentLogger(), clock: { now: () => 0 } as never });
  const decoder = new DouyinFrames();
  const full = (frame: Uint8Array) => decoder.process(frame, ctx, discards).events.length;
  const types = Object.fromEntries(KINDS.map((k) => [`Webcast${k}`, douyinType(k)]));
  const PushFrame = douyinType('PushFrame');
  const Response = douyinType('Response');
  const floor = (frame: Uint8Array) => {
    const f = PushFrame.decode(frame) as unknown as { payload: Uint8Array };
    const res = Response.decode(gunzipSync(f.payload)) as unknown as { messages: { method: string; payload: Uint8Array }[] };
    for (const m of res.messages) types[m.method]!.decode(m.payload);
    return res.messages.length;
  };
  if (full(frames[0]!) !== DEFAULTS.messagesPerFrame || floor(frames[0]!) !== DEFAULTS.messagesPerFrame)
    throw new Error('douyin bench frames do not decode to 20 events');
  measureThroughput(frames, full, DEFAULTS.warmupMs);
  measureThroughput(frames, floor, DEFAULTS.warmupMs);
  // Alternating slices: both lines see the same machine load (it is shared).
  const [mapped, decodeOnly] = measureInterleaved(frames, full, floor, 2 * DEFAULTS.measureMs);
  const notes = `${DEFAULTS.distinctFrames} distinct gzip'd frames of ${DEFAULTS.messagesPerFrame} mixed messages, one core, ${2 * DEFAULTS.measureMs} ms each in 8 alternating slices after ${DEFAULTS.warmupMs} ms warm-up`;
  const ratio = mapped.eventsPerSecond / decodeOnly.eventsPerSecond;
  return [
    {
      name: 'douyin decode + map',
      value: mapped.eventsPerSecond,
      unit: 'events/s',
      target: `≥ ${TARGET_EVENTS_PER_SECOND} and ≥ the floor`,
      pass: mapped.eventsPerSecond >= TARGET_EVENTS_PER_SECOND && ratio >= 1,
      notes: `${notes}; PushFrame → reused inflater → Response → route table (adapters/webcast); ${ratio.toFixed(2)} × the floor`,
    },
    {
      name: 'douyin gunzipSync + protobufjs decode (floor)',
      value: decodeOnly.eventsPerSecond,
      unit: 'events/s',
      notes: `${notes}; the floor, without mapping`,
    },
  ];
}

const bench: BenchModule = { name: 'douyin-decode', run };
export default bench;
