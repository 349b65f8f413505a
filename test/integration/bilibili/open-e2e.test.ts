/**
 * End to end for `platform: bilibili-open`, as operators run it: the fake open platform →
 * `node dist/src/cli/main.js run <config>` (a child process: config loading, the open-platform
 * source, pipeline, reporter, AK/SK sink) → the local MetaStudio emulator. Asserts the exact wire
 * events MetaStudio accepted, the app lifecycle the platform saw (start → heartbeats → end on
 * SIGTERM), a clean exit, and that neither the 身份码 nor the access key secret reaches the
 * output. The open platform pushes no follow command, so there is no follow event to assert.
 * Needs the build (`npm run build`; `npm test` runs it first).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../../helpers/wait.js';
import { e2eWorlds, MAIN, stopBridge, writeBridgeConfig } from '../../helpers/e2e.js';
import { APP_ID, FakeOpenPlatform, OPEN_CODE, OPEN_KEY } from '../../helpers/bilibili/fake-open.js';
import { command, zlibBatch } from '../../helpers/bilibili/frames.js';

const VIEWER = {
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
const OTHER = {
  ...VIEWER,
  open_id: 'open-user-2',
  uname: 'Fan·粉丝',
  fans_medal_name: '',
  fans_medal_level: 0,
  fans_medal_wearing_status: false,
};

const worlds = e2eWorlds();

function traffic(s: number): string[] {
  return [
    command('LIVE_OPEN_PLATFORM_DM', { ...VIEWER, msg: '开放平台弹幕 🎉', msg_id: 'e2e-m-1', timestamp: s, glory_level: 4 }),
    command('LIVE_OPEN_PLATFORM_SEND_GIFT', {
      ...VIEWER,
      gift_id: 31036,
      gift_name: '小花花',
      gift_num: 2,
      price: 100,
      r_price: 100,
      paid: true,
      msg_id: 'e2e-m-2',
      timestamp: s,
      anchor_info: {},
    }),
    command('LIVE_OPEN_PLATFORM_SEND_GIFT', {
      ...OTHER,
      gift_id: 1,
      gift_name: '辣条',
      gift_num: 10,
      price: 100,
      r_price: 0,
      paid: false,
      msg_id: 'e2e-m-3',
      timestamp: s,
      anchor_info: {},
    }),
    command('LIVE_OPEN_PLATFORM_LIKE', { ...OTHER, like_text: '为主播点赞了', like_count: 1, msg_id: 'e2e-m-4', timestamp: s }),
    command('LIVE_OPEN_PLATFORM_LIVE_ROOM_ENTER', { ...OTHER, msg_id: 'e2e-m-5', timestamp: s }),
    command('LIVE_OPEN_PLATFORM_SUPER_CHAT', {
      ...OTHER,
      message: '加油💪',
      message_id: 9001,
      rmb: 30,
      msg_id: 'e2e-m-6',
      timestamp: s,
      start_time: s,
      end_time: s + 60,
    }),
    // The same comment again (same msg_id): reported once.
    command('LIVE_OPEN_PLATFORM_DM', { ...VIEWER, msg: '开放平台弹幕 🎉', msg_id: 'e2e-m-1', timestamp: s, glory_level: 4 }),
    // Another game's end is not ours: ignored, no restart.
    command('LIVE_OPEN_PLATFORM_INTERACTION_END', { game_id: 'game-other', timestamp: s }),
  ];
}

describe('fake Bilibili open platform → live-bridge run (child process) → MetaStudio emulator', () => {
  it('reports the exact wire events and starts, heartbeats and ends the app', async () => {
    expect(existsSync(MAIN), `${MAIN} is missing: run npm run build first`).toBe(true);
    const { emulator, dir, adopt, spawn } = await worlds.start('bilibili-open-e2e-');
    const fake = adopt(new FakeOpenPlatform());
    await fake.listen();
    const s = Math.floor(Date.now() / 1000);
    void fake
      .nextConnection()
      .then((conn) => waitFor(() => conn.heartbeats() >= 1, 'auth', 10_000).then(() => conn.send(zlibBatch(traffic(s)))));
    const config = join(dir, 'bilibili-open-e2e.yaml');
    await writeBridgeConfig(config, {
      stream: 'bilibili-open-e2e',
      source: [
        '- platform: bilibili-open',
        '  name: open',
        '  code: ${BILI_CODE}',
        `  app_id: "${APP_ID}"`,
        `  access_key_id: ${OPEN_KEY.id}`,
        '  access_key_secret: ${BILI_OPEN_SECRET}',
        '  app_heartbeat_ms: 200',
        '  urls:',
        `    api_base: ${fake.base}`,
      ],
      emulatorUrl: emulator.url,
      stateDir: join(dir, 'state'),
    });
    const bridge = spawn(config, { BILI_CODE: OPEN_CODE, BILI_OPEN_SECRET: OPEN_KEY.secret });

    const em = emulator;
    const f = fake;
    await waitFor(
      () => em.accepted().length >= 7,
      () => `7 accepted events (got ${JSON.stringify(em.accepted().map((a) => a.event))}); log: ${bridge.output().slice(-2000)}`,
      20_000,
    );
    await waitFor(
      () => f.paths().filter((p) => p === '/v2/app/heartbeat').length >= 2,
      () => `two app heartbeats (got ${JSON.stringify(f.paths())})`,
      10_000,
    );
    // Quiet period: nothing more may arrive (no duplicate comment, no restart).
    await new Promise((r) => setTimeout(r, 1000));
    const code = await stopBridge(bridge.child);
    expect(code, bridge.output().slice(-2000)).toBe(0);

    const paths = fake.paths();
    expect(paths[0]).toBe('/v2/app/start');
    expect(paths.at(-1)).toBe('/v2/app/end');
    expect(paths.slice(1, -1).length).toBeGreaterThanOrEqual(2);
    expect(paths.slice(1, -1).every((p) => p === '/v2/app/heartbeat')).toBe(true);
    expect(fake.calls[0]!.bodyText).toBe(`{"code":"${OPEN_CODE}","app_id":${APP_ID}}`);
    expect(fake.calls.slice(1, -1).every((c) => c.bodyText === '{"game_id":"game-1"}')).toBe(true);
    expect(fake.calls.at(-1)!.bodyText).toBe(`{"app_id":${APP_ID},"game_id":"game-1"}`);
    expect(fake.calls.every((c) => c.signatureOk)).toBe(true);
    expect(fake.active).toBeUndefined();
    expect(fake.connections.length).toBe(1);
    expect(fake.connections[0]!.auths()).toEqual([fake.authBody('game-1')]);

    const output = bridge.output();
    expect(output).toContain('[exit 0 null]');
    // The logs were captured (so the checks below can fail), and they name the session, not its secrets.
    expect(output).toContain('open platform session started');
    expect(output).not.toContain(OPEN_CODE);
    expect(output).not.toContain(OPEN_KEY.secret);

    const ms = s * 1000;
    const viewer = (level: number) =>
      `{"userId":"${VIEWER.open_id}","name":"${VIEWER.uname}","level":${level},"badge":"瓜","badgeLevel":3}`;
    const other = `{"userId":"${OTHER.open_id}","name":"${OTHER.uname}","level":0,"badge":"","badgeLevel":0}`;
    const order = (a: { type: number; content: string }, b: typeof a) => a.type - b.type || a.content.localeCompare(b.content);
    const accepted = emulator.accepted().map((a) => a.event);
    expect(accepted.map((e) => e.timestamp)).toEqual(accepted.map(() => ms));
    expect(accepted.map((e) => ({ type: e.type, content: e.content })).sort(order)).toEqual(
      [
        { type: 1, content: `{"user":${viewer(4)},"content":"开放平台弹幕 🎉"}` },
        { type: 1, content: `{"user":${other},"content":"加油💪"}` },
        { type: 2, content: `{"user":${other}}` },
        { type: 3, content: `{"user":${other}}` },
        { type: 4, content: `{"user":${viewer(0)},"gift":{"giftName":"小花花","giftNum":2,"totalValue":200,"giftValue":100}}` },
        { type: 4, content: `{"user":${other},"gift":{"giftName":"辣条","giftNum":10,"totalValue":0,"giftValue":0}}` },
        { type: 4, content: `{"user":${other},"gift":{"giftName":"醒目留言","giftNum":1,"totalValue":30000,"giftValue":30000}}` },
      ].sort(order),
    );
    expect(
      emulator
        .requests()
        .filter((r) => r.operation === 'report')
        .every((r) => r.status === 200 && r.auth === 'aksk'),
    ).toBe(true);
  });
});
