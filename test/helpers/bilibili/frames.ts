/**
 * Builders for real Bilibili wire data: 16-byte-header packets, zlib and brotli batches, JSON
 * commands as the platform sends them (long ids written as bare JSON numbers), and protobuf
 * bodies encoded with proto/bilibili.proto.
 */
import { brotliCompressSync, deflateSync } from 'node:zlib';
import Long from 'long';
import { bilibiliType } from '../../../adapters/bilibili/proto.js';

/** One packet with an explicit header (sequence 1). */
export function packet(op: number, ver: number, body: Buffer | string): Buffer {
  const payload = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const header = Buffer.alloc(16);
  header.writeUInt32BE(16 + payload.length, 0);
  header.writeUInt16BE(16, 4);
  header.writeUInt16BE(ver, 6);
  header.writeUInt32BE(op, 8);
  header.writeUInt32BE(1, 12);
  return Buffer.concat([header, payload]);
}

/** An op-5 raw-JSON packet for one command text. */
export function cmdPacket(json: string): Buffer {
  return packet(5, 0, json);
}

/** Several command texts as one brotli (ver 3) op-5 packet. */
export function brotliBatch(jsons: readonly string[]): Buffer {
  return packet(5, 3, brotliCompressSync(Buffer.concat(jsons.map(cmdPacket))));
}

/** Several command texts as one zlib (ver 2) op-5 packet. */
export function zlibBatch(jsons: readonly string[]): Buffer {
  return packet(5, 2, deflateSync(Buffer.concat(jsons.map(cmdPacket))));
}

/** The auth reply (op 8). */
export function authReply(code: number): Buffer {
  return packet(8, 1, JSON.stringify({ code }));
}

/** A heartbeat reply (op 3): the 4-byte count, then the client's echoed body outside the length. */
export function heartbeatReply(popularity: number, echo = '[object Object]'): Buffer {
  const count = Buffer.alloc(4);
  count.writeUInt32BE(popularity, 0);
  return Buffer.concat([packet(3, 1, count), Buffer.from(echo)]);
}

/** Encodes a message of proto/bilibili.proto to base64 (64-bit fields from decimal strings). */
export function pbBase64(type: string, fields: Record<string, unknown>): string {
  const t = bilibiliType(type);
  return Buffer.from(t.encode(t.fromObject(fields)).finish()).toString('base64');
}

export const u64 = (v: string | number) => Long.fromString(String(v), true);

export interface DanmuSpec {
  uid: string;
  uname: string;
  text: string;
  tsMs: number;
  idStr?: string;
  userLevel?: number;
  medal?: { level: number; name: string };
}

/** A DANMU_MSG command text with the positional `info` array; uid written as a bare number. */
export function danmuMsg(d: DanmuSpec): string {
  const extra = JSON.stringify({ send_from_me: false, content: d.text, id_str: d.idStr ?? '' });
  const meta = [
    0,
    1,
    25,
    16777215,
    d.tsMs,
    1764000000,
    0,
    'c0ffee12',
    0,
    0,
    0,
    '',
    0,
    '{}',
    '{}',
    { mode: 0, extra, user: { uid: 0, base: { name: d.uname, face: 'https://i0.hdslb.com/face.jpg' } } },
    { activity_identity: '' },
  ];
  const medal = d.medal ? [d.medal.level, d.medal.name, '主播', 21452505, 6067854, '', 0] : [];
  const body = [
    meta,
    d.text,
    ['__UID__', d.uname, 0, 0, 0, 10000, 1, ''],
    medal,
    [d.userLevel ?? 0, 0, 6406234, '>50000', 0],
    ['', ''],
    0,
    0,
    null,
    { ts: Math.floor(d.tsMs / 1000), ct: 'ABCDEF' },
    0,
    0,
    null,
    null,
    0,
    105,
    [12],
  ];
  return JSON.stringify({ cmd: 'DANMU_MSG:4:0:2:2:2:0', info: body, dm_v2: '' }).replace('"__UID__"', d.uid);
}

/** Any command `{cmd, data}` with bare-number substitutions: `"__N:123__"` becomes 123. */
export function command(cmd: string, data: Record<string, unknown>): string {
  return JSON.stringify({ cmd, data }).replace(/"__N:(\d+)__"/g, '$1');
}

/** A bare JSON number placeholder for {@link command}. */
export const n = (digits: string) => `__N:${digits}__`;
