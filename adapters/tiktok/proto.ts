/**
 * The TikTok schema, proto/tiktok.proto, loaded once: the decoders take every wire tag they read
 * from it (adapters/webcast/tags.ts), and the test fakes encode with it.
 */
import type protobuf from 'protobufjs';
import { lazyProtoRoot } from '../common/proto.js';

const root = lazyProtoRoot('tiktok.proto');

/** The loaded schema (parsed once per process). */
export function tiktokRoot(): protobuf.Root {
  return root();
}

/** A message type of the schema, e.g. `GiftMessage`. */
export function tiktokType(name: string): protobuf.Type {
  return root().lookupType(`tiktok.${name}`);
}
