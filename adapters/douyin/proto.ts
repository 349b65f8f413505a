/**
 * Loads proto/douyin.proto at run time with protobufjs, configured with `long` so that every
 * 64-bit field decodes to a Long (never a lossy JS number).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Long from 'long';
import protobuf from 'protobufjs';

// protobufjs picks up Long only if it finds it at load time; set it explicitly so that a
// bundler or a missing optional require can never make u64 fields decode as numbers.
protobuf.util.Long = Long;
protobuf.configure();

/** Relative candidates: adapters/douyin/*.ts sits two levels below the root, dist/adapters/douyin/*.js three. */
const CANDIDATES = ['../../proto/douyin.proto', '../../../proto/douyin.proto'] as const;

/** The absolute path of proto/douyin.proto, found relative to this module. */
export function douyinProtoPath(): string {
  for (const rel of CANDIDATES) {
    const path = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(path)) return path;
  }
  throw new Error(`proto/douyin.proto not found relative to ${import.meta.url}`);
}

let root: protobuf.Root | undefined;

/** The loaded schema (loaded once per process). */
export function douyinRoot(): protobuf.Root {
  root ??= protobuf.loadSync(douyinProtoPath());
  return root;
}

/** A message type of the schema, e.g. `PushFrame`, `GiftMessage`. */
export function douyinType(name: string): protobuf.Type {
  return douyinRoot().lookupType(`douyin.${name}`);
}
