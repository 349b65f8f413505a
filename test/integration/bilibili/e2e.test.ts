/**
 * End to end, as operators run it: the fake Bilibili → `node dist/src/cli/main.js run <config>`
 * (a child process: config loading, the bilibili web source, pipeline, reporter, AK/SK sink) →
 * the local MetaStudio emulator. Asserts the exact wire events MetaStudio accepted: the combo
 * folded into one gift, the resend after a reconnect not reported twice, COMBO_SEND and the
 * share not reported. Needs the build (`npm run build`; `npm test` runs it first).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../../helpers/wait.js';
import { e2eWorlds, MAIN, stopBridge, writeBridgeConfig } from '../../helpers/e2e.js';
import { FakeBilibili, type FakeConnection } from '../../helpers/bilibili/fake-bilibili.js';
import { brotliBatch, command, danmuMsg, n, pbBase64, u64, zlibBatch } from '../../helpers/bilibili/frames.js';

const ROOM = { shortId: '6', roomId: '7734200', uid: '50329118', liveStatus: 1, title: 'e2e' };
const BIG = { uid: '12345678901234567', name: '弹幕君😀' }; // above 2^53
const FAN = { uid: '3546571234567890', name: 'Fan·粉丝' };

const worlds = e2eWorlds();

function firstTraffic(t: number): string[] {
  const s = Math.floor(t / 1000);
  const combo = `batch:gift:combo_id:${BIG.uid}:${ROOM.uid}:31036:${s}.1234`;
  const flower = (tid: string, running: number) =>
    command('SEND_GIFT', {
      uid: n(BIG.uid),
      uname: BIG.name,
      giftId: 31036,
      giftName: '小花花',
      num: 1,
      price: 100,
      total_coin: 100,
      coin_type: 'gold',
      tid,
      rnd: tid,
      timestamp: s,
      batch_combo_id: combo,
      super_batch_gift_num: running,
      medal_info: { medal_level: 4, medal_name: '橘子' },
    });
  return [
    danmuMsg({
      uid: BIG.uid,
      uname: BIG.name,
      text: '主播好！🎉',
      tsMs: t,
      idStr: 'e2e-dm-1',
      userLevel: 9,
      medal: { level: 4, name: '橘子' },
    }),
    command('INTERACT_WORD_V2', { pb: pbBase64('InteractWordV2', { uid: u64(FAN.uid), uname: FAN.name, msg_type: 1, timestamp: s }) }),
    command('INTERACT_WORD_V2', { pb: pbBase64('InteractWordV2', { uid: u64(FAN.uid), uname: FAN.name, msg_type: 2, timestamp: s }) }),
    command('INTERACT_WORD_V2', { pb: pbBase64('InteractWordV2', { uid: u64(FAN.uid), uname: FAN.name, msg_type: 3, timestamp: s }) }),
    command('LIKE_INFO_V3_CLICK', {
      uid: n(FAN.uid),
      uname: FAN.name,
      like_text: '为主播点赞了',
      fans_medal: { medal_name: '', medal_level: 0 },
    }),
    flower('e2e-t1', 1),
    flower('e2e-t2', 2),
    command('COMBO_SEND', { uid: n(BIG.uid), gift_id: 31036, combo_num: 2, batch_combo_id: combo }),
    flower('e2e-t3', 3),
    command('SEND_GIFT', {
      uid: n(FAN.uid),
      uname: FAN.name,
      giftId: 1,
      giftName: '辣条',
      num: 10,
      price: 100,
      coin_type: 'silver',
      tid: 'e2e-silver',
      timestamp: s,
      batch_combo_id: '',
    }),
    command('SUPER_CHAT_MESSAGE', {
      id: 9001,
      uid: n(FAN.uid),
      price: 30,
      message: '加油💪',
      start_time: s,
      gift: { gift_id: 12000, gift_name: '醒目留言' },
      user_info: { uname: FAN.name, user_level: 25 },
    }),
    command('ONLINE_RANK_COUNT', { count: 4321, online_count: 4321 }),
  ];
}

describe('fake Bilibili → live-bridge run (child process) → MetaStudio emulator', () => {
  it('reports the exact wire events', async () => {
    expect(existsSync(MAIN), `${MAIN} is missing: run npm run build first`).toBe(true);
    const { emulator, dir, adopt, spawn } = await worlds.start('bilibili-e2e-');
    const fake = adopt(new FakeBilibili({ room: ROOM, login: { sessdata: 'e2e-secret-sessdata', mid: '42' } }));
    await fake.listen();
    const t = Date.now();
    const f = fake;
    const serve = (conn: FakeConnection, index: number) => {
      void waitFor(() => conn.heartbeats() >= 1, 'auth', 10_000).then(() => {
        if (index === 0) {
          const traffic = firstTraffic(t);
          conn.send(brotliBatch(traffic.slice(0, 8)));
          conn.send(zlibBatch(traffic.slice(8)));
          setTimeout(() => conn.terminate(), 300);
        } else {
          // After the reconnect the first comment arrives again (same id_str) with a new one.
          conn.send(
            brotliBatch([
              firstTraffic(t)[0]!,
              danmuMsg({ uid: FAN.uid, uname: FAN.name, text: '第二条 comment', tsMs: t + 1, idStr: 'e2e-dm-2', userLevel: 3 }),
            ]),
          );
        }
      });
    };
    void f.nextConnection().then((c) => {
      serve(c, 0);
      void f.nextConnection().then((c2) => serve(c2, 1));
    });
    const config = join(dir, 'bilibili-e2e.yaml');
    await writeBridgeConfig(config, {
      stream: 'bilibili-e2e',
      source: [
        '- platform: bilibili',
        '  name: bili',
        '  room: "https://live.bilibili.com/6"',
        '  cookie: ${BILIBILI_COOKIE}',
        '  reconnect_base_ms: 50',
        '  urls:',
        ...Object.entries(fake.urls()).map(([k, v]) => `    ${k}: ${v}`),
      ],
      emulatorUrl: emulator.url,
      stateDir: join(dir, 'state'),
    });
    const bridge = spawn(config, { BILIBILI_COOKIE: 'SESSDATA=e2e-secret-sessdata; bili_jct=e2e-csrf' });

    const em = emulator;
    await waitFor(
      () => em.accepted().length >= 10,
      () => `10 accepted events (got ${JSON.stringify(em.accepted().map((a) => a.event))}); log: ${bridge.output().slice(-2000)}`,
      20_000,
    );
    // Quiet period: nothing more may arrive (no resend, no second combo report, no COMBO_SEND).
    await new Promise((r) => setTimeout(r, 1500));
    const end = Date.now();
    const code = await stopBridge(bridge.child);
    expect(code).toBe(0);
    expect(fake.connections.length).toBe(2);
    expect(fake.connections[0]!.auths()[0]).toMatch(/^\{"uid":42,"roomid":7734200,"protover":3,/);
    expect(bridge.output()).not.toContain('e2e-secret-sessdata');

    const s = Math.floor(t / 1000) * 1000;
    const big = `{"userId":"${BIG.uid}","name":"${BIG.name}","level":9,"badge":"橘子","badgeLevel":4}`;
    const bigGift = `{"userId":"${BIG.uid}","name":"${BIG.name}","level":0,"badge":"橘子","badgeLevel":4}`;
    const fan = (level: number) => `{"userId":"${FAN.uid}","name":"${FAN.name}","level":${level},"badge":"","badgeLevel":0}`;
    const expected = [
      { timestamp: t, type: 1, content: `{"user":${big},"content":"主播好！🎉"}` },
      { timestamp: t + 1, type: 1, content: `{"user":${fan(3)},"content":"第二条 comment"}` },
      { timestamp: s, type: 1, content: `{"user":${fan(25)},"content":"加油💪"}` },
      { timestamp: s, type: 2, content: `{"user":${fan(0)}}` },
      { timestamp: s, type: 4, content: `{"user":${bigGift},"gift":{"giftName":"小花花","giftNum":3,"totalValue":300,"giftValue":100}}` },
      { timestamp: s, type: 4, content: `{"user":${fan(0)},"gift":{"giftName":"辣条","giftNum":10,"totalValue":0,"giftValue":0}}` },
      {
        timestamp: s,
        type: 4,
        content: `{"user":${fan(25)},"gift":{"giftName":"醒目留言","giftNum":1,"totalValue":30000,"giftValue":30000}}`,
      },
      { timestamp: s, type: 5, content: `{"user":${fan(0)}}` },
    ];
    const accepted = emulator.accepted().map((a) => a.event);
    // Likes and viewer counts carry no platform time: they are stamped on receipt.
    const received = accepted.filter((e) => e.type === 3 || e.type === 6);
    expect(received.map((e) => ({ type: e.type, content: e.content })).sort((a, b) => a.type - b.type)).toEqual([
      { type: 3, content: `{"user":${fan(0)}}` },
      { type: 6, content: '{"numberOfViewers":4321}' },
    ]);
    expect(received.every((e) => e.timestamp >= t && e.timestamp <= end)).toBe(true);
    const order = (a: { type: number; timestamp: number; content: string }, b: typeof a) =>
      a.type - b.type || a.timestamp - b.timestamp || a.content.localeCompare(b.content);
    expect(accepted.filter((e) => e.type !== 3 && e.type !== 6).sort(order)).toEqual([...expected].sort(order));
    expect(
      emulator
        .requests()
        .filter((r) => r.operation === 'report')
        .every((r) => r.status === 200 && r.auth === 'aksk'),
    ).toBe(true);
  });
});
