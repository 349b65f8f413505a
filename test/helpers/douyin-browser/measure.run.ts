/**
 * What one douyin-browser room costs: RSS of the Chromium process tree and its CPU over a
 * window, against the fake room with steady traffic (~20 messages/s by push, im/fetch polled).
 * Prints a table; asserts only that events flowed. Run through measure.config.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from 'vitest';
import { DouyinBrowserSourceSchema } from '../../../adapters/douyin-browser/config.js';
import { create as createDouyinBrowserSource } from '../../../adapters/douyin-browser/index.js';
import { systemClock } from '../../../src/core/clock.js';
import { waitFor } from '../wait.js';
import { common, msgFrame, user } from '../douyin/frames.js';
import { ROOM_ID, VIEWER, WEB_RID } from '../douyin/scenario.js';
import { silentLogger } from '../logger.js';
import { browserPid, processTree, testChromium, usage } from './chromium.js';
import { FakeRoom } from './fake-room.js';

const WINDOW_MS = Number(process.env.MEASURE_WINDOW_MS ?? 30_000);
const CLK_TCK = 100;

test('douyin-browser cost per room', async () => {
  const chromium = testChromium();
  expect(chromium).toBeTypeOf('string');
  const dir = mkdtempSync(path.join(tmpdir(), 'dyb-measure-'));
  const profileDir = path.join(dir, 'profile');
  const fake = await new FakeRoom({ pollMs: 1_000 }).listen();
  const block = process.env.MEASURE_NO_BLOCK !== '1';
  const config = DouyinBrowserSourceSchema.parse({
    platform: 'douyin-browser',
    room: WEB_RID,
    executable_path: chromium,
    profile_dir: profileDir,
    urls: { room_page: fake.roomUrlTemplate },
    ...(block ? {} : { block_resource_types: [], block_url_patterns: [] }),
  });
  const source = createDouyinBrowserSource(config, { logger: silentLogger(), clock: systemClock, stateDir: dir });
  let events = 0;
  source.on('event', () => (events += 1));
  const controller = new AbortController();
  const running = source.start(controller.signal);
  await waitFor(() => fake.openSockets === 1, 'the push socket', 30_000);
  await new Promise((r) => setTimeout(r, 3_000)); // let the page settle before measuring
  const pid = browserPid(profileDir) as number;
  let seq = 0;
  const traffic = setInterval(() => {
    const messages = Array.from({ length: 5 }, () => {
      const id = String(7_700_000_000_000_000_000n + BigInt(++seq));
      return {
        type: 'ChatMessage',
        msgId: id,
        fields: { common: common('WebcastChatMessage', id, ROOM_ID, Date.now()), user: user(VIEWER), content: `消息 ${seq}` },
      };
    });
    fake.push(msgFrame({ messages }));
  }, 250);
  const nodeCpu0 = process.cpuUsage();
  const start = usage(processTree(pid));
  const rss: number[] = [];
  const pss: number[] = [];
  const t0 = Date.now();
  while (Date.now() - t0 < WINDOW_MS) {
    await new Promise((r) => setTimeout(r, 1_000));
    const u = usage(processTree(pid));
    rss.push(u.rssKb);
    pss.push(u.pssKb);
  }
  const elapsedS = (Date.now() - t0) / 1000;
  const end = usage(processTree(pid));
  const nodeCpu = process.cpuUsage(nodeCpu0);
  clearInterval(traffic);
  const processes = processTree(pid).length;
  controller.abort();
  await running;
  await fake.close();
  rmSync(dir, { recursive: true, force: true });

  const mb = (kb: number) => (kb / 1024).toFixed(0);
  const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const cpuPct = (((end.cpuTicks - start.cpuTicks) / CLK_TCK / elapsedS) * 100).toFixed(1);
  const nodePct = (((nodeCpu.user + nodeCpu.system) / 1e6 / elapsedS) * 100).toFixed(1);
  console.log(
    [
      `douyin-browser, fake room, ${elapsedS.toFixed(0)} s window, ~20 msg/s, blocking ${block ? 'on' : 'off'}`,
      `| chromium processes | PSS avg MB | PSS max MB | RSS sum avg MB | chromium CPU % of one core | node (source + fake room) CPU % | events |`,
      `| ${processes} | ${mb(avg(pss))} | ${mb(Math.max(...pss))} | ${mb(avg(rss))} | ${cpuPct} | ${nodePct} | ${events} |`,
    ].join('\n'),
  );
  expect(events).toBeGreaterThan(0);
});

test('douyin direct cost per room, for comparison (the same traffic, in this Node process)', async () => {
  const { FakeDouyin } = await import('../douyin/fake-douyin.js');
  const { startHarness } = await import('../douyin/harness.js');
  const { GIFT_LIST } = await import('../douyin/scenario.js');
  const fake = await FakeDouyin.start({
    webRid: WEB_RID,
    broadcast: { roomId: ROOM_ID, status: 2, title: 'room', anchorName: 'anchor', userUniqueId: '7300000000000000009' },
    gifts: GIFT_LIST,
  });
  const rss0 = process.memoryUsage().rss;
  const h = startHarness(fake);
  await waitFor(() => fake.connections.length === 1, 'the push connection', 30_000);
  const conn = fake.connections[0]!;
  let seq = 0;
  const traffic = setInterval(() => {
    const messages = Array.from({ length: 5 }, () => {
      const id = String(7_800_000_000_000_000_000n + BigInt(++seq));
      return {
        type: 'ChatMessage',
        msgId: id,
        fields: { common: common('WebcastChatMessage', id, ROOM_ID, Date.now()), user: user(VIEWER), content: `消息 ${seq}` },
      };
    });
    conn.send(msgFrame({ messages }));
  }, 250);
  const cpu0 = process.cpuUsage();
  const t0 = Date.now();
  await new Promise((r) => setTimeout(r, WINDOW_MS));
  const elapsedS = (Date.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const rss1 = process.memoryUsage().rss;
  clearInterval(traffic);
  await h.stop();
  await fake.close();
  console.log(
    [
      `douyin direct, fake Douyin, ${elapsedS.toFixed(0)} s window, ~20 msg/s`,
      `| added RSS of this process MB | node (source + fake server) CPU % of one core | events |`,
      `| ${((rss1 - rss0) / 1048576).toFixed(0)} | ${(((cpu.user + cpu.system) / 1e6 / elapsedS) * 100).toFixed(1)} | ${h.events.length} |`,
    ].join('\n'),
  );
  expect(h.events.length).toBeGreaterThan(0);
});
