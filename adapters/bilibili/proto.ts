/**
 * The Bilibili schema, proto/bilibili.proto, loaded once through the shared protobufjs setup
 * (64-bit fields decode to Long, turned into strings by the mapping, never into lossy numbers).
 */
import type protobuf from 'protobufjs';
import { lazyProtoRoot } from '../common/proto.js';

// keepCase: field names stay as written in the .proto (snake_case, as the platform names them).
const root = lazyProtoRoot('bilibili.proto', { keepCase: true });

/** A message type of the schema: `InteractWordV2`, `SendGiftBroadcast`, ... */
export function bilibiliType(name: string): protobuf.Type {
  return root().lookupType(`bilibili.${name}`);
}

/** Decodes a base64 `data.pb` into a plain object (64-bit integers as decimal strings; absent fields absent). */
export function decodePb(typeName: string, base64: string): Record<string, unknown> {
  const type = bilibiliType(typeName);
  const bytes = Buffer.from(base64, 'base64');
  return type.toObject(type.decode(bytes), { longs: String, arrays: true }) as Record<string, unknown>;
}
