import { afterEach, describe, expect, it } from 'vitest';
import { BilibiliOpenSourceSchema } from '../../../adapters/bilibili/config.js';
import { create as createBilibiliOpenSource } from '../../../adapters/bilibili/open/index.js';
import { waitFor } from '../../helpers/wait.js';
import { APP_ID, FakeOpenPlatform, OPEN_CODE, OPEN_KEY } from '../../helpers/bilibili/fake-open.js';
import { command, zlibBatch } from '../../helpers/bilibili/frames.js';
import { startHarness, type Harness } from '../../helpers/source-harness.js';

let fake: FakeOpenPlatform | undefined;
let h: Harness | undefined;

afterEach(async () => {
  await h?.stop();
  await fake?.close();
  h = undefined;
  fake = undefined;
});

async function setup() {
  fake = new FakeOpenPlatform();
  await fake.listen();
  const config = BilibiliOpenSourceSchema.parse({
    platform: 'bilibili-open',
    name: 'open',
    code: OPEN_CODE,
    app_id: APP_ID,
    access_key_id: OPEN_KEY.id,
    access_key_secret: OPEN_KEY.secret,
    urls: { api_base: fake.base },
  });
  const connected = fake.nextConnection();
  h = startHarness((deps) => createBilibiliOpenSource(config, deps));
  return { fake, h, conn: await connected };
}

const who = {
  open_id: 'open-user-1',
  union_id: '',
  uname: '观众🍉',
  uface: '',
  fans_medal_name: '瓜',
  fans_medal_level: 3,
  fans_medal_wearing_status: true,
  guard_level: 0,
  room_id: 7734200,
};

describe('bilibili open-platform source against a fake open platform', () => {
  it('starts the app, authenticates with auth_body, maps commands, heartbeats the app every 20 s and ends it on stop', async () => {
    const { fake, h, conn } = await setup();
    await waitFor(() => conn.heartbeats() === 1, 'auth');
    expect(fake.calls[0]!.bodyText).toBe(`{"code":"${OPEN_CODE}","app_id":${APP_ID}}`);
    expect(conn.auths()).toEqual([fake.authBody('game-1')]);
    expect(h.states).toEqual([
      { state: 'connecting', reason: 'initial' },
      { state: 'live', roomId: '7734200' },
    ]);

    conn.send(
      zlibBatch([
        command('LIVE_OPEN_PLATFORM_DM', { ...who, msg: '开放平台弹幕', msg_id: 'm-1', timestamp: 1_764_000_000, glory_level: 4 }),
        command('LIVE_OPEN_PLATFORM_SEND_GIFT', {
          ...who,
          gift_id: 31036,
          gift_name: '小花花',
          gift_num: 1,
          price: 100,
          r_price: 100,
          paid: true,
          msg_id: 'm-2',
          timestamp: 1_764_000_001,
          anchor_info: {},
        }),
        command('LIVE_OPEN_PLATFORM_LIVE_ROOM_ENTER', { ...who, msg_id: 'm-3', timestamp: 1_764_000_002 }),
      ]),
    );
    await waitFor(() => h.events.length === 3, 'events');
    const user = { id: 'open-user-1', name: '观众🍉', level: 0, badge: '瓜', badgeLevel: 3 };
    expect(h.events).toEqual([
      {
        id: 'open:m-1',
        platform: 'bilibili',
        source: 'open',
        ts: 1_764_000_000_000,
        kind: 'comment',
        user: { ...user, level: 4 },
        text: '开放平台弹幕',
      },
      {
        id: 'open:m-2',
        platform: 'bilibili',
        source: 'open',
        ts: 1_764_000_001_000,
        kind: 'gift',
        user,
        gift: { giftId: '31036', name: '小花花', count: 1, unitValue: 100 },
      },
      { id: 'open:m-3', platform: 'bilibili', source: 'open', ts: 1_764_000_002_000, kind: 'join', user },
    ]);

    h.clock.advance(20_000);
    await waitFor(() => fake.paths().length === 2, 'app heartbeat');
    expect(fake.calls[1]).toMatchObject({ path: '/v2/app/heartbeat', body: { game_id: 'game-1' } });
    await h.stop();
    expect(fake.paths()).toEqual(['/v2/app/start', '/v2/app/heartbeat', '/v2/app/end']);
    expect(fake.calls[2]!.bodyText).toBe(`{"app_id":${APP_ID},"game_id":"game-1"}`);
    expect(fake.calls.every((c) => c.signatureOk)).toBe(true);
    expect(fake.active).toBeUndefined();
  });

  it('ends and restarts the app on INTERACTION_END', async () => {
    const { fake, h, conn } = await setup();
    await waitFor(() => conn.heartbeats() === 1, 'auth');
    const next = fake.nextConnection();
    conn.send(zlibBatch([command('LIVE_OPEN_PLATFORM_INTERACTION_END', { game_id: 'game-1', timestamp: 1 })]));
    const conn2 = await next;
    await waitFor(() => conn2.heartbeats() === 1, 'second auth');
    expect(conn2.auths()).toEqual([fake.authBody('game-2')]);
    expect(fake.paths()).toEqual(['/v2/app/start', '/v2/app/end', '/v2/app/start']);
    expect(h.reconnects).toEqual(['initial', 'restart']);
    expect(h.states).toContainEqual({ state: 'connecting', reason: 'restart: the platform ended the session (INTERACTION_END)' });
  });

  it('restarts the app when its heartbeat says the session is gone (7003)', async () => {
    const { fake, h, conn } = await setup();
    await waitFor(() => conn.heartbeats() === 1, 'auth');
    fake.heartbeatCodes.push(7003);
    const next = fake.nextConnection();
    h.clock.advance(20_000);
    const conn2 = await next;
    await waitFor(() => conn2.heartbeats() === 1, 'second auth');
    expect(fake.paths()).toEqual(['/v2/app/start', '/v2/app/heartbeat', '/v2/app/end', '/v2/app/start']);
    await waitFor(() => conn.closed, 'the first socket closed');
  });

  it('waits start_retry_ms after a refused start, as blocked', async () => {
    fake = new FakeOpenPlatform();
    await fake.listen();
    fake.startCodes.push(7002);
    const config = BilibiliOpenSourceSchema.parse({
      platform: 'bilibili-open',
      code: OPEN_CODE,
      app_id: Number(APP_ID),
      access_key_id: OPEN_KEY.id,
      access_key_secret: OPEN_KEY.secret,
      urls: { api_base: fake.base },
    });
    const connected = fake.nextConnection();
    h = startHarness((deps) => createBilibiliOpenSource(config, deps));
    const harness = h;
    await waitFor(() => harness.states.length === 2, 'blocked');
    expect(harness.states[1]).toEqual({ state: 'blocked', reason: 'bilibili: app/start answered code 7002: error 7002' });
    harness.clock.advance(29_999);
    await new Promise((r) => setTimeout(r, 20));
    expect(fake.paths()).toEqual(['/v2/app/start']);
    harness.clock.advance(1);
    const conn = await connected;
    await waitFor(() => conn.heartbeats() === 1, 'auth');
    expect(JSON.stringify(harness.logs)).not.toContain(OPEN_KEY.secret);
    expect(JSON.stringify(harness.logs)).not.toContain(OPEN_CODE);
  });

  it('rejects a wrong secret at the platform (signature checked) and never logs the secret', async () => {
    fake = new FakeOpenPlatform();
    await fake.listen();
    const config = BilibiliOpenSourceSchema.parse({
      platform: 'bilibili-open',
      code: OPEN_CODE,
      app_id: APP_ID,
      access_key_id: OPEN_KEY.id,
      access_key_secret: 'wrong-secret-xyz',
      urls: { api_base: fake.base },
    });
    h = startHarness((deps) => createBilibiliOpenSource(config, deps));
    const harness = h;
    await waitFor(() => harness.states.length === 2, 'refused');
    expect(harness.states[1]).toMatchObject({ state: 'blocked', reason: 'bilibili: app/start answered code 4002: error 4002' });
    expect(fake.calls[0]!.signatureOk).toBe(false);
    expect(JSON.stringify(harness.logs)).not.toContain('wrong-secret-xyz');
  });

  it('replaces a dropped socket within the same app session (no new start)', async () => {
    const { fake, h, conn } = await setup();
    await waitFor(() => conn.heartbeats() === 1, 'auth');
    const next = fake.nextConnection();
    conn.terminate();
    const conn2 = await next;
    await waitFor(() => conn2.heartbeats() === 1, 'second auth');
    expect(conn2.auths()).toEqual([fake.authBody('game-1')]);
    expect(fake.paths()).toEqual(['/v2/app/start']);
    expect(h.reconnects).toEqual(['initial', 'closed']);
    expect(h.states).toContainEqual({ state: 'connecting', reason: 'closed: closed by server (code 1006)' });
  });
});
