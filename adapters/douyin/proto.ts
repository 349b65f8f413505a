/**
 * The Douyin schema, proto/douyin.proto, loaded once through the shared protobufjs setup (64-bit
 * fields decode to Long, never a lossy JS number).
 */
import type protobuf from 'protobufjs';
import { lazyProtoRoot, protoPath } from '../common/proto.js';

const FILE = 'douyin.proto';
const root = lazyProtoRoot(FILE);

/** The absolute path of proto/douyin.proto. */
export function douyinProtoPath(): string {
  return protoPath(FILE);
}

/** The loaded schema (loaded once per process). */
export function douyinRoot(): protobuf.Root {
  return root();
}

/** A message type of the schema, e.g. `PushFrame`, `GiftMessage`. */
export function douyinType(name: string): protobuf.Type {
  return douyinRoot().lookupType(`douyin.${name}`);
}
