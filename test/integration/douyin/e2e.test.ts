/**
 * End to end, as operators run it: the fake Douyin → `node dist/src/cli/main.js run <config>`
 * (a child process: config loading, the douyin source, pipeline, reporter, AK/SK sink) → the local
 * MetaStudio emulator. Asserts the exact wire events MetaStudio accepted: the gift streak folded
 * into one gift, the resend after a reconnect not reported twice, the share not reported.
 * Needs the build (`npm run build`; `npm test` runs it first).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO } from '../../../src/metastudio/emulator/index.js';
import { waitFor } from '../../helpers/wait.js';
import { e2eWorlds, MAIN, stopBridge, writeBridgeConfig } from '../../helpers/e2e.js';
import { common, msgFrame, user, type MessageSpec } from '../../helpers/douyin/frames.js';
import { FakeDouyin } from '../../helpers/douyin/fake-douyin.js';
import { HONOUR_VIEWER, ROOM_ID, VIEWER, WEB_RID } from '../../helpers/douyin/scenario.js';

const BROADCAST = { roomId: ROOM_ID, status: 2, title: 'e2e', anchorName: '主播', userUniqueId: '7400000000000000077' };

const worlds = e2eWorlds();

/** The room's traffic, stamped with `t` (fresh: the reporter drops stale events). */
function firstTraffic(t: number): MessageSpec[] {
  const m = (type: string, msgId: string, fields: Record<string, unknown>): MessageSpec => ({
    type,
    msgId,
    fields: { common: common(`Webcast${type}`, msgId, ROOM_ID, t), ...fields },
  });
  const rose = (msgId: string, repeatCount: number, repeatEnd: number) =>
    m('GiftMessage', msgId, {
      giftId: 463,
      groupCount: 1,
      repeatCount,
      user: user(VIEWER),
      repeatEnd,
      groupId: '1764000000123',
      gift: { id: 463, combo: true, diamondCount: 1, name: '玫瑰' },
      sendType: 4,
    });
  return [
    m('ChatMessage', '7653887015607455001', { user: user(VIEWER), content: '主播好！🎉' }),
    m('MemberMessage', '7653887015607455002', { user: user(HONOUR_VIEWER) }),
    m('LikeMessage', '7653887015607455003', { count: 5, total: 99, user: user(VIEWER) }),
    rose('7653887015607455010', 1, 0),
    rose('7653887015607455011', 2, 0),
    rose('7653887015607455013', 5, 0),
    rose('7653887015607455012', 3, 0),
    rose('7653887015607455014', 5, 1),
    m('GiftMessage', '7653887015607455020', {
      giftId: 685,
      groupCount: 1,
      repeatCount: 1,
      user: user(HONOUR_VIEWER),
      gift: { id: 685, combo: false, diamondCount: 3000, name: '嘉年华' },
      sendType: 1,
    }),
    m('SocialMessage', '7653887015607455030', { user: user(VIEWER), action: 1 }),
    m('SocialMessage', '7653887015607455031', { user: user(VIEWER), action: 3 }),
    m('RoomUserSeqMessage', '7653887015607455040', { total: 30600 }),
  ];
}

describe('fake Douyin → live-bridge run (child process) → MetaStudio emulator', () => {
  it('reports the exact wire events', async () => {
    expect(existsSync(MAIN), `${MAIN} is missing: run npm run build first`).toBe(true);
    const { emulator, dir, adopt, spawn } = await worlds.start('douyin-e2e-');
    const fake = adopt(await FakeDouyin.start({ webRid: WEB_RID, broadcast: BROADCAST }));
    const t = Date.now();
    const first = firstTraffic(t);
    fake.onConnection = (conn) => {
      if (fake.connections.length === 1) {
        conn.send(msgFrame({ messages: first, cursor: 'c-1', internalExt: 'ie-1' }));
        setTimeout(() => conn.terminate(), 300);
      } else {
        // After the reconnect Douyin resends the first comment (same msgId) with a new one.
        const again = { ...first[0]! };
        const next: MessageSpec = {
          type: 'ChatMessage',
          msgId: '7653887015607455050',
          fields: {
            common: common('WebcastChatMessage', '7653887015607455050', ROOM_ID, t + 1),
            user: user(HONOUR_VIEWER),
            content: '第二条 comment',
          },
        };
        conn.send(msgFrame({ messages: [again, next], cursor: 'c-2', internalExt: 'ie-2' }));
      }
    };
    const config = join(dir, 'douyin-e2e.yaml');
    await writeBridgeConfig(config, {
      stream: 'douyin-e2e',
      source: [
        '- platform: douyin',
        '  name: shop',
        `  room: "https://live.douyin.com/${WEB_RID}"`,
        '  cookie: ${DOUYIN_COOKIE}',
        '  gift_list_refresh_ms: -1',
        '  reconnect_base_ms: 50',
        '  urls:',
        ...Object.entries(fake.urls()).map(([k, v]) => `    ${k}: ${String(v)}`),
      ],
      emulatorUrl: emulator.url,
      stateDir: join(dir, 'state'),
    });
    const bridge = spawn(config, { DOUYIN_COOKIE: 'sessionid=e2e-secret-session' });

    await waitFor(
      () => emulator.accepted().length >= 8,
      () =>
        `8 accepted events (accepted ${emulator.accepted().length}, conns ${fake.connections.length}, paths ${fake.requests.map((r) => r.path).join(' ')}, log: ${bridge.output().slice(-3000)})`,
      20_000,
    );
    // Quiet period: nothing more may arrive (no resend, no second streak report).
    await new Promise((r) => setTimeout(r, 1500));
    const code = await stopBridge(bridge.child);
    expect(code).toBe(0);
    expect(fake.connections.length).toBe(2);
    expect(bridge.output()).not.toContain('e2e-secret-session');

    const viewer = `{"userId":"${VIEWER.id}","name":"小红🌸Ayşe","level":23,"badge":"红粉","badgeLevel":12}`;
    const honour = `{"userId":"${HONOUR_VIEWER.id}","name":"薛***","level":13,"badge":"","badgeLevel":0}`;
    const expected = [
      { timestamp: t, type: 1, content: `{"user":${viewer},"content":"主播好！🎉"}` },
      { timestamp: t + 1, type: 1, content: `{"user":${honour},"content":"第二条 comment"}` },
      { timestamp: t, type: 2, content: `{"user":${honour}}` },
      { timestamp: t, type: 3, content: `{"user":${viewer}}` },
      { timestamp: t, type: 4, content: `{"user":${viewer},"gift":{"giftName":"玫瑰","giftNum":5,"totalValue":5,"giftValue":1}}` },
      { timestamp: t, type: 4, content: `{"user":${honour},"gift":{"giftName":"嘉年华","giftNum":1,"totalValue":3000,"giftValue":3000}}` },
      { timestamp: t, type: 5, content: `{"user":${viewer}}` },
      { timestamp: t, type: 6, content: '{"numberOfViewers":30600}' },
    ];
    const order = (a: { type: number; timestamp: number; content: string }, b: typeof a) =>
      a.type - b.type || a.timestamp - b.timestamp || a.content.localeCompare(b.content);
    const accepted = emulator.accepted().map((a) => a.event);
    expect([...accepted].sort(order)).toEqual([...expected].sort(order));
    expect(emulator.accepted().every((a) => a.roomId === DEMO.roomId && a.jobId === DEMO.jobId)).toBe(true);
    expect(
      emulator
        .requests()
        .filter((r) => r.operation === 'report')
        .every((r) => r.status === 200 && r.auth === 'aksk'),
    ).toBe(true);
  });
});
