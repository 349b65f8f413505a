/**
 * End to end, as operators run it: the fake TikTok → `node dist/src/cli/main.js run <config>` (a
 * child process: config loading, the tiktok source, pipeline, reporter, AK/SK sink) → the local
 * MetaStudio emulator. Through a sign-server 429 storm, an abrupt close with a duplicate after the
 * reconnect, and a live end followed by the next broadcast's new room id, the emulator accepts the
 * exact wire events: every streak one gift with its final count, the single Rose once, the type-2
 * gift at once, the follow and the subscription but not the share or the history replay, and no
 * duplicate; the sign budget is never exceeded and no secret reaches the output.
 * Needs the build (`npm run build`; `npm test` runs it first).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO } from '../../../src/metastudio/emulator/index.js';
import { e2eWorlds, MAIN, stopBridge, writeBridgeConfig } from '../../helpers/e2e.js';
import { controlFrame, FakeTikTok } from '../../helpers/tiktok/fake-tiktok.js';
import { common, msgFrame, user } from '../../helpers/tiktok/frames.js';
import { HANDLE, NEW_ROOM_ID, QUIET, ROOM_ID, standardMessages, VIEWER } from '../../helpers/tiktok/scenario.js';
import { waitFor } from '../../helpers/wait.js';

const worlds = e2eWorlds();
const API_KEY = 'e2e-euler-key-7f3a9c';
const SESSION = 'e2e-session-value-5d21';

describe('fake TikTok → live-bridge run (child process) → MetaStudio emulator', () => {
  it('reports the exact wire events through a 429 storm, a reconnect and a live end', async () => {
    expect(existsSync(MAIN), `${MAIN} is missing: run npm run build first`).toBe(true);
    const { emulator, dir, adopt, spawn } = await worlds.start('tiktok-e2e-');
    const fake = adopt(
      await FakeTikTok.start({ handle: HANDLE, broadcast: { roomId: ROOM_ID, status: 2, title: 'e2e' }, apiKey: API_KEY }),
    );
    fake.signScript.push(
      { status: 429, label: 'rate_limit_account_minute', message: 'slow down', retryAfterS: 1 },
      { status: 429, label: 'rate_limit_account_minute', message: 'slow down', retryAfterS: 1 },
    );
    const t = Date.now();
    let next = 0;
    const chat = (msgId: string, text: string, roomId: string, ts = t + 100) => ({
      type: 'ChatMessage',
      msgId,
      fields: { common: common('WebcastChatMessage', msgId, roomId, ts), user: user(QUIET), content: text },
    });
    fake.onEntered = (conn) => {
      const n = fake.connections.length;
      if (n === 1) {
        conn.send(msgFrame({ messages: standardMessages(t), needAck: true, internalExt: 'ie-1', cursor: 'cursor-1' }));
        setTimeout(() => conn.terminate(), 400);
      } else if (n === 2) {
        // TikTok resends the comment after the reconnect (same msgId), with a new one, then ends the broadcast.
        conn.send(msgFrame({ messages: [standardMessages(t)[1]!, chat('9300000000000000101', 'after the reconnect', ROOM_ID)] }));
        setTimeout(() => {
          fake.broadcast = { roomId: ROOM_ID, status: 4, title: 'over' };
          conn.send(controlFrame(3, ROOM_ID, '9300000000000000102'));
          setTimeout(() => (fake.broadcast = { roomId: NEW_ROOM_ID, status: 2, title: 'again' }), 500);
        }, 300);
      } else {
        // Stamped now: the poll waited ~30 s, and the reporter drops stale comments.
        next = Date.now();
        conn.send(msgFrame({ messages: [chat('9300000000000000201', 'next broadcast', NEW_ROOM_ID, next)] }));
      }
    };
    const config = join(dir, 'tiktok-e2e.yaml');
    await writeBridgeConfig(config, {
      stream: 'tiktok-e2e',
      source: [
        '- platform: tiktok',
        '  name: shop',
        `  room: "@${HANDLE}"`,
        '  cookie: ${TIKTOK_COOKIE}',
        '  reconnect_base_ms: 100',
        '  status_poll_ms: 30000',
        '  signer:',
        `    url: ${fake.baseUrl}`,
        '    api_key: ${EULER_API_KEY}',
        '    budget:',
        '      per_minute: 6',
        '      per_day: 20',
        '  urls:',
        ...Object.entries(fake.urls()).map(([k, v]) => `    ${k}: ${v}`),
      ],
      emulatorUrl: emulator.url,
      stateDir: join(dir, 'state'),
    });
    const bridge = spawn(config, { EULER_API_KEY: API_KEY, TIKTOK_COOKIE: `sessionid=${SESSION}` });

    await waitFor(
      () => emulator.accepted().some((a) => a.event.content.includes('next broadcast')),
      () =>
        `the next broadcast's comment (accepted ${emulator.accepted().length}, conns ${fake.connections.length}, signs ${fake.signCalls.length}, log: ${bridge.output().slice(-12000)})`,
      60_000,
    );
    // Quiet period: nothing more may arrive (no resend, no second streak report).
    await new Promise((r) => setTimeout(r, 1500));
    // The sign metric, as /metrics counts it: each call the sign server saw, one unit each.
    const listening = bridge
      .output()
      .split('\n')
      .find((l) => l.includes('"ops server listening"'));
    const opsUrl = (JSON.parse(listening ?? '{}') as { url?: string }).url;
    const metrics = await (await fetch(`${opsUrl}/metrics`)).text();
    const counter = (name: string, call: string) =>
      Number(new RegExp(`^${name}\\{source="shop",call="${call}",stream="tiktok-e2e"\\} (\\d+)$`, 'm').exec(metrics)?.[1] ?? 0);
    expect(counter('live_bridge_source_upstream_calls_total', 'sign_ok')).toBe(3);
    expect(counter('live_bridge_source_upstream_calls_total', 'sign_rate_limited')).toBe(2);
    expect(
      counter('live_bridge_source_upstream_units_total', 'sign_ok') +
        counter('live_bridge_source_upstream_units_total', 'sign_rate_limited'),
    ).toBe(5);
    const code = await stopBridge(bridge.child);
    expect(code).toBe(0);
    expect(fake.connections).toHaveLength(3);
    // 2 refused by 429, then one per connect: within the budget (6 a minute), never more.
    expect(fake.signCalls).toHaveLength(5);
    expect(fake.fetches.map((f) => f.roomId)).toEqual([ROOM_ID, ROOM_ID, NEW_ROOM_ID]);
    const out = bridge.output();
    for (const secret of [API_KEY, SESSION, 'fetch-1-ttwid', 'fetch-cursor-1']) expect(out).not.toContain(secret);

    const viewer = `{"userId":"${VIEWER.id}","name":"Zoë 🌹 مرحبا","level":23,"badge":"Rosé Club","badgeLevel":12}`;
    const quiet = `{"userId":"${QUIET.id}","name":"小明","level":0,"badge":"","badgeLevel":0}`;
    const gift = (u: string, name: string, num: number, value: number) =>
      `{"user":${u},"gift":{"giftName":"${name}","giftNum":${num},"totalValue":${num * value},"giftValue":${value}}}`;
    const expected = [
      { timestamp: t + 2, type: 1, content: `{"user":${viewer},"content":"hello 👋 主播好"}` },
      { timestamp: t + 100, type: 1, content: `{"user":${quiet},"content":"after the reconnect"}` },
      { timestamp: next, type: 1, content: `{"user":${quiet},"content":"next broadcast"}` },
      { timestamp: t + 3, type: 2, content: `{"user":${quiet}}` },
      { timestamp: t + 4, type: 3, content: `{"user":${viewer}}` },
      { timestamp: t + 15, type: 4, content: gift(viewer, 'Rose', 5, 1) },
      { timestamp: t + 17, type: 4, content: gift(quiet, 'Rose', 1, 1) },
      { timestamp: t + 20, type: 4, content: gift(viewer, 'Lion', 1, 29999) },
      { timestamp: t + 30, type: 5, content: `{"user":${viewer}}` },
      { timestamp: t + 40, type: 5, content: `{"user":${quiet}}` },
      { timestamp: t + 50, type: 6, content: '{"numberOfViewers":4321}' },
    ];
    const order = (a: { type: number; timestamp: number; content: string }, b: typeof a) =>
      a.type - b.type || a.timestamp - b.timestamp || a.content.localeCompare(b.content);
    const accepted = emulator.accepted().map((a) => a.event);
    expect([...accepted].sort(order)).toEqual([...expected].sort(order));
    expect(emulator.accepted().every((a) => a.roomId === DEMO.roomId && a.jobId === DEMO.jobId)).toBe(true);
  }, 90_000);
});
