/**
 * The Kuaishou schema, proto/kuaishou.proto, loaded once through the shared protobufjs setup
 * (64-bit fields decode to Long, never a lossy JS number).
 */
import type protobuf from 'protobufjs';
import { lazyProtoRoot } from '../common/proto.js';

const root = lazyProtoRoot('kuaishou.proto');

/** A message type of the schema, e.g. `SocketMessage`, `SCWebFeedPush`. */
export function kuaishouType(name: string): protobuf.Type {
  return root().lookupType(`kuaishou.${name}`);
}

/** The payload types the bridge sends or reads (PayloadType in proto/kuaishou.proto). */
export const PAYLOAD = {
  csHeartbeat: 1,
  scHeartbeatAck: 101,
  scError: 103,
  csEnterRoom: 200,
  csUserExit: 202,
  scEnterRoomAck: 300,
  scAuthorPause: 301,
  scAuthorResume: 302,
  scFeedPush: 310,
  scLiveWatchingList: 340,
} as const;

/** SocketMessage.compressionType. 0 (absent) is read as NONE, as the web client does. */
export const COMPRESSION = { unknown: 0, none: 1, gzip: 2, aes: 3 } as const;
