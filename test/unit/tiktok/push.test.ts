import { describe, expect, it } from 'vitest';
import { ackFrame, enterRoomFrame, heartbeatFrame, pingIntervalMs, pushUrl, randomEnterId } from '../../../adapters/tiktok/push.js';
import { decode } from '../../helpers/tiktok/frames.js';

const UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/131.0.0.0 Safari/537.36';

describe('tiktok push socket pieces', () => {
  it('URL: push server, non-empty route params first, base params from the UA, resume state, version_code twice', () => {
    const url = pushUrl({
      pushServer: 'wss://webcast-ws.tiktok.com/webcast/im/ws_proxy/ws_reuse_supplement/',
      routeParams: { wrss: 'abc def', imprp: '' },
      roomId: '7412345678901234567',
      cursor: 'c-1',
      internalExt: 'a:b|c:d',
      userAgent: UA,
    });
    const u = new URL(url);
    expect(u.origin + u.pathname).toBe('wss://webcast-ws.tiktok.com/webcast/im/ws_proxy/ws_reuse_supplement/');
    const keys = [...u.searchParams.keys()];
    expect(keys[0]).toBe('wrss');
    expect(keys).not.toContain('imprp');
    expect(u.searchParams.get('wrss')).toBe('abc def');
    expect(u.searchParams.get('browser_version')).toBe('5.0 (Windows NT 10.0; Win64; x64) Chrome/131.0.0.0 Safari/537.36');
    expect(u.searchParams.getAll('version_code')).toEqual(['180800', '270000']);
    expect(url.endsWith('&version_code=270000')).toBe(true);
    for (const [k, v] of [
      ['aid', '1988'],
      ['app_name', 'tiktok_web'],
      ['device_platform', 'web'],
      ['identity', 'audience'],
      ['live_id', '12'],
      ['resp_content_type', 'protobuf'],
      ['did_rule', '3'],
      ['room_id', '7412345678901234567'],
      ['cursor', 'c-1'],
      ['internal_ext', 'a:b|c:d'],
      ['compress', 'gzip'],
    ])
      expect(u.searchParams.get(k!), k).toBe(v);
    expect(pushUrl({ pushServer: 'ws://h/p?x=1', routeParams: {}, roomId: '1', cursor: '', internalExt: '', userAgent: UA })).toMatch(
      /^ws:\/\/h\/p\?x=1&aid=1988&/,
    );
  });

  it('Handshake-Options ping-interval (seconds) → ms', () => {
    expect(pingIntervalMs('ping-interval=10; ping-timeout=30')).toBe(10_000);
    expect(pingIntervalMs('ping-timeout=30;ping-interval=2.5')).toBe(2_500);
    expect(pingIntervalMs('ping-interval=abc')).toBeUndefined();
    expect(pingIntervalMs('ping-interval=0')).toBeUndefined();
    expect(pingIntervalMs(undefined)).toBeUndefined();
  });

  it('client frames decode as proto/tiktok.proto says', () => {
    const enter = decode('PushFrame', enterRoomFrame('7412345678901234567', 'c-9', '123456789012345'));
    expect(enter).toMatchObject({ payloadType: 'im_enter_room', payloadEncoding: 'pb' });
    expect(decode('ImEnterRoomMessage', enter.payload as Uint8Array)).toMatchObject({
      roomId: '7412345678901234567',
      liveId: '12',
      identity: 'audience',
      cursor: 'c-9',
      enterUniqueId: '123456789012345',
      filterWelcomeMsg: '0',
    });
    const hb = decode('PushFrame', heartbeatFrame('7412345678901234567', 3));
    expect(hb).toMatchObject({ payloadType: 'hb', payloadEncoding: 'pb' });
    expect(decode('HeartBeatMessage', hb.payload as Uint8Array)).toMatchObject({ roomId: '7412345678901234567', sendPacketSeqId: '3' });
    const ack = decode('PushFrame', ackFrame('18446744073709551615', 'ie-1'));
    expect(ack).toMatchObject({ payloadType: 'ack', payloadEncoding: 'pb', logId: '18446744073709551615' });
    expect(Buffer.from(ack.payload as Uint8Array).toString()).toBe('ie-1');
    expect(Buffer.from(decode('PushFrame', ackFrame('1', '')).payload as Uint8Array).toString()).toBe('-');
  });

  it('enter ids are positive int64s', () => {
    for (let i = 0; i < 100; i++) {
      const id = BigInt(randomEnterId());
      expect(id > 0n && id < 2n ** 63n).toBe(true);
    }
  });
});
