/**
 * The X-MS-STUB: MD5 of the 13 fixed push parameters, in their fixed order (douyin.md §2).
 */
import { createHash } from 'node:crypto';

/** What the stub (and so the signature) binds: the room, the visitor id and the SDK version. */
export interface StubInput {
  roomId: string;
  userUniqueId: string;
  sdkVersion: string;
}

/** The comma-joined parameter string the stub hashes; empty values are kept. */
export function stubSource(input: StubInput): string {
  return [
    'live_id=1',
    'aid=6383',
    'version_code=180800',
    `webcast_sdk_version=${input.sdkVersion}`,
    `room_id=${input.roomId}`,
    'sub_room_id=',
    'sub_channel_id=',
    'did_rule=3',
    `user_unique_id=${input.userUniqueId}`,
    'device_platform=web',
    'device_type=',
    'ac=',
    'identity=audience',
  ].join(',');
}

/** The X-MS-STUB: lowercase hex MD5 of {@link stubSource}. */
export function xMsStub(input: StubInput): string {
  return createHash('md5').update(stubSource(input)).digest('hex');
}
