/**
 * Room resolution against the fake TikTok over real HTTP: page first, room API as fallback, room
 * info for a bare room id; not found, captcha and risk-control answers; never a sign call.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { roomRefFrom, TikTokSourceSchema } from '../../../adapters/tiktok/config.js';
import { TikTokHttp } from '../../../adapters/tiktok/http.js';
import { RoomResolver } from '../../../adapters/tiktok/room.js';
import { FakeTikTok, type FakeTikTokOptions } from '../../helpers/tiktok/fake-tiktok.js';
import { HANDLE, ROOM_ID } from '../../helpers/tiktok/scenario.js';

const fakes: FakeTikTok[] = [];
afterEach(async () => {
  for (const f of fakes.splice(0)) await f.close();
});

async function setup(options: Partial<FakeTikTokOptions> = {}, room = `@${HANDLE}`) {
  const fake = await FakeTikTok.start({
    handle: HANDLE,
    broadcast: { roomId: ROOM_ID, status: 2, title: 'shop' },
    apiKey: 'k',
    ...options,
  });
  fakes.push(fake);
  const config = TikTokSourceSchema.parse({
    platform: 'tiktok',
    room,
    urls: fake.urls(),
    signer: fake.signer(),
    cookie: 'sessionid=s3cr3t-session',
  });
  const http = new TikTokHttp({ userAgent: config.user_agent, cookie: config.cookie, targetIdc: config.target_idc, timeoutMs: 5_000 });
  const resolver = new RoomResolver({ ref: roomRefFrom(config.room)!, config, http, deviceId: '7300000000000000042' });
  return { fake, resolver, signal: new AbortController().signal };
}

describe('tiktok room resolution', () => {
  it('reads the room id and status from the live page alone', async () => {
    const { fake, resolver, signal } = await setup();
    expect(await resolver.resolve(signal)).toEqual({ kind: 'live', room: { roomId: ROOM_ID, handle: HANDLE, title: 'shop' } });
    expect(fake.requests.map((r) => r.path)).toEqual([`/@${HANDLE}/live`]);
    const page = fake.requests[0]!;
    expect(page.headers.cookie).toBe('sessionid=s3cr3t-session; tt-target-idc=useast1a');
    expect(page.headers['user-agent']).toMatch(/^Mozilla\/5\.0 /);
    expect(fake.signCalls).toEqual([]);
  });

  it('falls back to the room API when the page holds no state (captcha)', async () => {
    const { fake, resolver, signal } = await setup({ page: 'captcha' });
    expect(await resolver.resolve(signal)).toEqual({ kind: 'live', room: { roomId: ROOM_ID, handle: HANDLE, title: 'shop' } });
    const api = fake.requestsTo('/api-live/user/room/')[0]!;
    expect(api.query.get('uniqueId')).toBe(HANDLE);
    expect(api.query.get('sourceType')).toBe('54');
    expect(api.query.get('aid')).toBe('1988');
    expect(api.query.get('device_id')).toBe('7300000000000000042');
  });

  it('a page without state and a refusing room API is blocked, naming captcha or IP', async () => {
    const { resolver, signal } = await setup({ page: 'captcha', roomApi: 'risk' });
    expect(await resolver.resolve(signal)).toEqual({
      kind: 'blocked',
      reason: 'live page without SIGI_STATE (captcha or IP block); room API statusCode 4003110',
    });
  });

  it('room API statusCode 19881007 is not found', async () => {
    const { resolver, signal } = await setup({ page: 'captcha', roomApi: 'not_found' });
    expect(await resolver.resolve(signal)).toEqual({
      kind: 'not_found',
      reason: `no TikTok user @${HANDLE} (room API statusCode 19881007 user_not_found)`,
    });
  });

  it('an ended broadcast is offline; a numeric room id is checked through room info', async () => {
    const ended = await setup();
    ended.fake.broadcast.status = 4;
    expect(await ended.resolver.resolve(ended.signal)).toEqual({ kind: 'offline', reason: `room ${ROOM_ID} is not live (ended)` });
    const byId = await setup({}, ROOM_ID);
    expect(await byId.resolver.resolve(byId.signal)).toEqual({ kind: 'live', room: { roomId: ROOM_ID, handle: '', title: 'shop' } });
    expect(byId.fake.requests.map((r) => `${r.path}?room_id=${r.query.get('room_id')}`)).toEqual([
      `/webcast/room/info/?room_id=${ROOM_ID}`,
    ]);
    byId.fake.broadcast.status = 4;
    expect((await byId.resolver.resolve(byId.signal)).kind).toBe('offline');
  });

  it('config rooms: @handle, live URL, bare handle and numeric id', () => {
    expect(roomRefFrom('@shop.host')).toEqual({ kind: 'handle', handle: 'shop.host' });
    expect(roomRefFrom('https://www.tiktok.com/@shop.host/live?lang=en')).toEqual({ kind: 'handle', handle: 'shop.host' });
    expect(roomRefFrom('tiktok.com/@a_b')).toEqual({ kind: 'handle', handle: 'a_b' });
    expect(roomRefFrom('shop.host')).toEqual({ kind: 'handle', handle: 'shop.host' });
    expect(roomRefFrom('7412345678901234567')).toEqual({ kind: 'room_id', roomId: '7412345678901234567' });
    for (const bad of ['', '@', 'https://evil.example/@x/live', '@has space', 'a/b']) expect(roomRefFrom(bad), bad).toBeUndefined();
  });
});
