/**
 * Loads proto/bilibili.proto at run time with protobufjs, with `long` configured so that 64-bit
 * fields decode to Long (turned into strings by the mapping, never into lossy numbers).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Long from 'long';
import protobuf from 'protobufjs';

protobuf.util.Long = Long;
protobuf.configure();

/** adapters/bilibili/*.ts sits two levels below the root, dist/adapters/bilibili/*.js three. */
const CANDIDATES = ['../../proto/bilibili.proto', '../../../proto/bilibili.proto'] as const;

/** The absolute path of proto/bilibili.proto, found relative to this module. */
export function bilibiliProtoPath(): string {
  for (const rel of CANDIDATES) {
    const path = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(path)) return path;
  }
  throw new Error(`proto/bilibili.proto not found relative to ${import.meta.url}`);
}

let root: protobuf.Root | undefined;

/** A message type of the schema: `InteractWordV2`, `SendGiftBroadcast`, ... */
export function bilibiliType(name: string): protobuf.Type {
  // keepCase: field names stay as written in the .proto (snake_case, as the platform names them).
  root ??= new protobuf.Root().loadSync(bilibiliProtoPath(), { keepCase: true });
  return root.lookupType(`bilibili.${name}`);
}

/** Decodes a base64 `data.pb` into a plain object (64-bit integers as decimal strings; absent fields absent). */
export function decodePb(typeName: string, base64: string): Record<string, unknown> {
  const type = bilibiliType(typeName);
  const bytes = Buffer.from(base64, 'base64');
  return type.toObject(type.decode(bytes), { longs: String, arrays: true }) as Record<string, unknown>;
}
