import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { BilibiliSourceSchema } from '../../../adapters/bilibili/config.js';
import { create as createBilibiliSource } from '../../../adapters/bilibili/index.js';
import { bilibiliPlugin } from '../../../adapters/bilibili/plugin.js';
import type { SocketFactory } from '../../../adapters/kit/socket.js';
import { waitFor } from '../../helpers/wait.js';
import { signWbi } from '../../../adapters/bilibili/wbi.js';
import { FakeBilibili, WBI_KEY, type FakeBilibiliOptions } from '../../helpers/bilibili/fake-bilibili.js';
import {
  brotliBatch,
  cmdPacket,
  command,
  danmuMsg,
  heartbeatReply,
  n,
  packet,
  pbBase64,
  u64,
  zlibBatch,
} from '../../helpers/bilibili/frames.js';
import { startHarness, type Harness } from '../../helpers/source-harness.js';

const ROOM = { shortId: '6', roomId: '7734200', uid: '50329118', liveStatus: 1, title: '测试直播间 🎮' };
const MID = '12345678901234567';
const UA = 'Mozilla/5.0 (X11; Linux x86_64) BridgeTest/1.0';
const BIG_UID = '9876543210987654321'; // > 2^53, < 2^64

let fake: FakeBilibili | undefined;
let h: Harness | undefined;

afterEach(async () => {
  await h?.stop();
  await fake?.close();
  h = undefined;
  fake = undefined;
});

async function setup(options: Partial<FakeBilibiliOptions> = {}, overrides: Record<string, unknown> = {}, socketFactory?: SocketFactory) {
  fake = new FakeBilibili({ room: ROOM, login: { sessdata: 'sess-abc', mid: MID }, ...options });
  await fake.listen();
  const config = BilibiliSourceSchema.parse({
    platform: 'bilibili',
    name: 'bili',
    room: 'https://live.bilibili.com/6?spm=x',
    cookie: 'SESSDATA=sess-abc; bili_jct=csrf',
    user_agent: UA,
    urls: fake.urls(),
    ...overrides,
  });
  const connected = fake.nextConnection();
  h = startHarness((deps) => createBilibiliSource(config, { ...deps, socketFactory }));
  return { fake, h, conn: await connected };
}

describe('bilibili web source against a fake Bilibili', () => {
  it('runs the HTTP steps, authenticates with uid/buvid/token, heartbeats and maps brotli and zlib batches', async () => {
    const { fake, h, conn } = await setup();
    await waitFor(() => conn.heartbeats() === 1, 'first heartbeat');
    expect(fake.paths()).toEqual([
      '/x/web-interface/nav',
      '/x/frontend/finger/spi',
      '/room/v1/Room/get_info',
      '/xlive/web-room/v1/index/getDanmuInfo',
    ]);
    expect(fake.requests.every((r) => r.headers['user-agent'] === UA)).toBe(true);
    expect(conn.headers['user-agent']).toBe(UA);
    expect(conn.headers.cookie).toBe('SESSDATA=sess-abc; bili_jct=csrf; buvid3=B3-FAKE-BUVID3infoc; buvid4=B4-FAKE-BUVID4');
    const token = fake.tokens[0]!.token;
    expect(conn.auths()).toEqual([
      `{"uid":${MID},"roomid":7734200,"protover":3,"buvid":"B3-FAKE-BUVID3infoc","platform":"web","type":2,"key":"${token}"}`,
    ]);
    expect(conn.packets[0]).toMatchObject({ op: 7, ver: 1, headerLen: 16 });
    expect(h.states).toEqual([
      { state: 'connecting', reason: 'initial' },
      { state: 'live', roomId: '7734200', title: '测试直播间 🎮' },
    ]);

    const interact = pbBase64('InteractWordV2', { uid: u64(BIG_UID), uname: '新观众🐣', msg_type: 1, timestamp: 1_764_000_100 });
    const follow = pbBase64('InteractWordV2', { uid: u64('3'), uname: 'Fan', msg_type: 2, timestamp: 1_764_000_101 });
    conn.send(
      brotliBatch([
        danmuMsg({
          uid: BIG_UID,
          uname: '弹幕君😀',
          text: '第一条',
          tsMs: 1_764_000_000_500,
          idStr: 'abc123',
          userLevel: 9,
          medal: { level: 4, name: '橘子' },
        }),
        command('INTERACT_WORD_V2', { dmscore: 1, pb: interact }),
        command('SEND_GIFT', {
          uid: n(BIG_UID),
          uname: '弹幕君😀',
          giftId: 31036,
          giftName: '小花花',
          num: 2,
          price: 100,
          coin_type: 'gold',
          tid: 'T-1',
          timestamp: 1_764_000_001,
          batch_combo_id: '',
        }),
      ]),
    );
    conn.send(
      Buffer.concat([
        zlibBatch([command('INTERACT_WORD_V2', { pb: follow }), command('ONLINE_RANK_COUNT', { count: 321, online_count: 321 })]),
        heartbeatReply(1),
      ]),
    );
    await waitFor(() => h.events.length === 5, 'five events');
    const now = h.clock.now();
    expect(h.events).toEqual([
      {
        id: 'dm:abc123',
        platform: 'bilibili',
        source: 'bili',
        ts: 1_764_000_000_500,
        kind: 'comment',
        user: { id: BIG_UID, name: '弹幕君😀', level: 9, badge: '橘子', badgeLevel: 4 },
        text: '第一条',
      },
      {
        id: `enter:${BIG_UID}:1:1764000100`,
        platform: 'bilibili',
        source: 'bili',
        ts: 1_764_000_100_000,
        kind: 'join',
        user: { id: BIG_UID, name: '新观众🐣', level: 0, badge: '', badgeLevel: 0 },
      },
      {
        id: 'gift:T-1',
        platform: 'bilibili',
        source: 'bili',
        ts: 1_764_000_001_000,
        kind: 'gift',
        user: { id: BIG_UID, name: '弹幕君😀', level: 0, badge: '', badgeLevel: 0 },
        gift: { giftId: '31036', name: '小花花', count: 2, unitValue: 100 },
      },
      {
        id: 'follow:3:2:1764000101',
        platform: 'bilibili',
        source: 'bili',
        ts: 1_764_000_101_000,
        kind: 'follow',
        user: { id: '3', name: 'Fan', level: 0, badge: '', badgeLevel: 0 },
      },
      { id: `viewers:321:${Math.floor(now / 1000)}`, platform: 'bilibili', source: 'bili', ts: now, kind: 'viewers', count: 321 },
    ]);
    expect(h.discards).toEqual([]);

    // The server answers each heartbeat (op 3), so a quiet room is not a dead socket.
    for (let beat = 2; beat <= 4; beat++) {
      h.clock.advance(30_000);
      await waitFor(() => conn.heartbeats() === beat, `heartbeat ${beat} at ${(beat - 1) * 30} s`);
      // Let the heartbeat reply reach the source before time moves on.
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(h.reconnects).toEqual(['initial']);
    expect(h.discards).toEqual([]);
  });

  it('counts bad packets as discards (once-a-minute logs with a sample) and keeps going', async () => {
    const { h, conn } = await setup();
    await waitFor(() => conn.heartbeats() === 1, 'auth');
    const badHeader = packet(5, 0, '{}');
    badHeader.writeUInt16BE(4, 4);
    conn.send(badHeader);
    conn.send(packet(5, 3, Buffer.from('definitely not brotli')));
    conn.send(packet(5, 2, Buffer.from('nor zlib')));
    conn.send(cmdPacket('{"cmd":"DANMU_MSG","info":[oops'));
    conn.send(cmdPacket(command('INTERACT_WORD_V2', { pb: Buffer.from([0x0a, 0xff]).toString('base64') })));
    conn.send(cmdPacket(command('INTERACT_WORD_V2', { pb: Buffer.from([0x0a, 0xff]).toString('base64') })));
    conn.sendText('text frame');
    conn.send(cmdPacket(danmuMsg({ uid: '5', uname: 'after', text: 'still alive', tsMs: 1_764_000_000_000, idStr: 'z' })));
    await waitFor(() => h.events.length === 1, 'the good event');
    expect(h.discards.map((d) => d.reason)).toEqual([
      'bad_header',
      'brotli',
      'zlib',
      'bad_json',
      'bad_protobuf',
      'bad_protobuf',
      'text_frame',
    ]);
    const logged = h.logs.filter((l) => l.message === 'discarded undecodable bilibili input');
    expect(logged.map((l) => l.reason)).toEqual(['bad_header', 'brotli', 'zlib', 'bad_json', 'bad_protobuf', 'text_frame']);
    expect(typeof logged[0]!.sample_b64).toBe('string');
    expect(h.events[0]).toMatchObject({ id: 'dm:z', text: 'still alive' });
    expect(JSON.stringify(h.logs)).not.toContain('sess-abc');
  });

  it('re-runs the HTTP steps after an auth failure (-101) and succeeds with a new token', async () => {
    const { fake, h, conn } = await setup({ authCodes: [-101, 0] });
    const second = fake.nextConnection();
    const conn2 = await second;
    await waitFor(() => conn2.heartbeats() === 1, 'second auth ok');
    expect(conn.heartbeats()).toBe(0);
    expect(fake.tokens).toHaveLength(2);
    expect(conn2.auths()[0]).toContain(`"key":"${fake.tokens[1]!.token}"`);
    expect(h.reconnects).toEqual(['initial', 'auth_failed']);
    expect(h.states).toContainEqual({ state: 'connecting', reason: 'auth_failed: the server refused AUTH (code -101)' });
    // The WBI key is still fresh: the second round skips nav.
    expect(fake.paths()).toEqual([
      '/x/web-interface/nav',
      '/x/frontend/finger/spi',
      '/room/v1/Room/get_info',
      '/xlive/web-room/v1/index/getDanmuInfo',
      '/room/v1/Room/get_info',
      '/xlive/web-room/v1/index/getDanmuInfo',
    ]);
    expect(h.logs.some((l) => String(l.message).includes('token was rejected'))).toBe(true);
  });

  it('reconnects when the server goes silent for 35 s', async () => {
    const { fake, h, conn } = await setup();
    await waitFor(() => conn.heartbeats() === 1, 'auth');
    fake.silent = true;
    const next = fake.nextConnection();
    h.clock.advance(34_000);
    expect(h.reconnects).toEqual(['initial']);
    h.clock.advance(1_000);
    await next;
    await waitFor(() => h.reconnects.length === 2, 'reconnect');
    expect(h.reconnects[1]).toBe('stall');
    expect(h.states).toContainEqual({ state: 'connecting', reason: 'stall: nothing received for 35 s' });
    await waitFor(() => conn.closed, 'old socket closed');
  });

  it('follows PREPARING → offline and LIVE → live', async () => {
    const { h, conn } = await setup({ room: { ...ROOM, liveStatus: 0 } });
    await waitFor(() => h.states.length === 2, 'auth');
    expect(h.states[1]).toEqual({ state: 'offline', reason: 'the room is not live' });
    conn.send(cmdPacket('{"cmd":"LIVE","live_key":"k","roomid":7734200}'));
    await waitFor(() => h.states.length === 3, 'live');
    conn.send(cmdPacket('{"cmd":"PREPARING","roomid":"7734200"}'));
    await waitFor(() => h.states.length === 4, 'offline');
    expect(h.states.slice(2)).toEqual([
      { state: 'live', roomId: '7734200' },
      { state: 'offline', reason: 'the broadcast ended (PREPARING)' },
    ]);
  });

  it('after PREPARING and a reconnect reads the room status again and stays offline until LIVE', async () => {
    const { fake, h, conn } = await setup();
    await waitFor(() => conn.heartbeats() === 1, 'auth');
    expect(h.states.at(-1)).toEqual({ state: 'live', roomId: '7734200', title: '测试直播间 🎮' });
    fake.options.room.liveStatus = 0;
    conn.send(cmdPacket('{"cmd":"PREPARING","roomid":"7734200"}'));
    await waitFor(() => h.states.at(-1)?.state === 'offline', 'offline');
    const next = fake.nextConnection();
    conn.terminate();
    const conn2 = await next;
    await waitFor(() => conn2.heartbeats() === 1, 'second auth');
    // The socket came back during the offline gap: offline, from a fresh get_info, not the status cached at start.
    expect(fake.paths().slice(4)).toEqual(['/room/v1/Room/get_info']);
    expect(h.states.filter((s) => s.state === 'live')).toHaveLength(1);
    expect(h.states.at(-1)).toEqual({ state: 'offline', reason: 'the room is not live' });
    fake.options.room.liveStatus = 1;
    conn2.send(cmdPacket('{"cmd":"LIVE","live_key":"k","roomid":7734200}'));
    await waitFor(() => h.states.at(-1)?.state === 'live', 'live again');
    expect(h.states.at(-1)).toEqual({ state: 'live', roomId: '7734200' });
  });

  it('closes the socket with 1000 when stopped', async () => {
    const { h, conn } = await setup();
    await waitFor(() => conn.heartbeats() === 1, 'auth');
    await h.stop();
    await waitFor(() => conn.closed, 'the close');
    expect(conn.closeCode).toBe(1000);
  });

  it('refreshes the WBI key once on -352 and falls back to room_init', async () => {
    fake = new FakeBilibili({ room: ROOM, getInfoBroken: true });
    await fake.listen();
    fake.rejectNextDanmuInfo = true;
    const config = BilibiliSourceSchema.parse({ platform: 'bilibili', room: '6', user_agent: UA, urls: fake.urls() });
    const connected = fake.nextConnection();
    h = startHarness((deps) => createBilibiliSource(config, deps));
    const conn = await connected;
    await waitFor(() => conn.heartbeats() === 1, 'auth');
    expect(fake.paths()).toEqual([
      '/x/web-interface/nav',
      '/x/frontend/finger/spi',
      '/room/v1/Room/get_info',
      '/room/v1/Room/room_init',
      '/xlive/web-room/v1/index/getDanmuInfo',
      '/x/web-interface/nav',
      '/xlive/web-room/v1/index/getDanmuInfo',
    ]);
    // Anonymous: uid 0, and the plugin's check (which check and run print) warns.
    expect(conn.auths()[0]).toMatch(/^\{"uid":0,"roomid":7734200,/);
    expect((await bilibiliPlugin.check?.(config, { stateDir: '.', name: 'bili' }))?.join('\n')).toContain('masks names and sends uid 0');
  });

  it('rotates through the host list, and re-runs the HTTP steps after repeated failures', async () => {
    const urls: string[] = [];
    let port = 0;
    const factory: SocketFactory = (url, o) => {
      urls.push(url);
      return new WebSocket(`ws://127.0.0.1:${port}/sub`, { headers: o.headers });
    };
    fake = new FakeBilibili({
      room: ROOM,
      login: { sessdata: 'sess-abc', mid: MID },
      hosts: [
        { host: 'a.chat.example', wss_port: 443 },
        { host: 'b.chat.example', wss_port: 8443 },
      ],
    });
    await fake.listen();
    port = fake.port;
    fake.silent = true;
    const config = BilibiliSourceSchema.parse({
      platform: 'bilibili',
      room: '6',
      cookie: 'SESSDATA=sess-abc',
      user_agent: UA,
      urls: fake.urls(false),
    });
    h = startHarness((deps) => createBilibiliSource(config, { ...deps, socketFactory: factory }));
    for (let i = 1; i <= 4; i++) {
      await waitFor(() => fake!.connections.length === i, `connection ${i}`);
      await new Promise((r) => setTimeout(r, 20));
      h.clock.advance(35_000);
    }
    await waitFor(() => urls.length === 5, 'fifth attempt');
    expect(urls).toEqual([
      'wss://a.chat.example:443/sub',
      'wss://b.chat.example:8443/sub',
      'wss://a.chat.example:443/sub',
      'wss://a.chat.example:443/sub',
      'wss://b.chat.example:8443/sub',
    ]);
    expect(fake.tokens).toHaveLength(2);
  });

  it('has a fake that really checks the WBI signature and the buvid cookies', async () => {
    fake = new FakeBilibili({ room: ROOM });
    await fake.listen();
    const url = `${fake.base}/xlive/web-room/v1/index/getDanmuInfo?`;
    const good = signWbi({ id: ROOM.roomId, type: '0' }, WBI_KEY, Date.now());
    const ask = async (query: string, cookie = 'buvid3=a; buvid4=b') =>
      ((await (await fetch(url + query, { headers: { cookie } })).json()) as { code: number }).code;
    expect(await ask(good)).toBe(0);
    expect(await ask(good.replace(/w_rid=[0-9a-f]{32}/, `w_rid=${'0'.repeat(32)}`))).toBe(-352);
    expect(await ask(good.replace('type=0', 'type=1'))).toBe(-352);
    expect(await ask(good, 'buvid3=a')).toBe(-352);
  });
});
