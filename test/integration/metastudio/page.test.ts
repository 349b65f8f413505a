import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { toWireEvent } from '../../../src/metastudio/wire.js';
import { DEMO, demoEmulatorConfig, startEmulator, type Emulator } from '../../../src/metastudio/emulator/index.js';
import { createSink } from '../../../src/metastudio/index.js';
import { silentLogger } from '../../helpers/logger.js';
import { ManualClock } from '../../helpers/clock.js';
import { sampleEvents, sinkConfig } from '../../helpers/metastudio/fixtures.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
// On CI a missing browser is a failure, not a skip; locally it may be absent.
const run = existsSync(CHROMIUM) || process.env.CI === 'true' ? describe : describe.skip;

run('emulator live page in headless Chromium', () => {
  let emu: Emulator;
  let browser: Browser;
  beforeAll(async () => {
    emu = await startEmulator({ config: demoEmulatorConfig() });
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  });
  afterAll(async () => {
    await browser?.close();
    await emu?.close();
  });

  it('shows the accepted events, newest first, updating by itself, hostile text as text', async () => {
    const page = await browser.newPage();
    const external: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(emu.url)) external.push(r.url());
    });
    await page.goto(`${emu.url}/`);
    await page.locator('#status', { hasText: 'live' }).waitFor();
    expect(await page.locator('#events li').count()).toBe(0);

    const sink = createSink(
      sinkConfig({
        endpoint: emu.url,
        project_id: DEMO.projectId,
        room_id: DEMO.roomId,
        job_id: DEMO.jobId,
        auth: { type: 'aksk', ak: DEMO.ak, sk: DEMO.sk },
      }),
      { logger: silentLogger(), clock: new ManualClock(Date.now()) },
    );
    const events = sampleEvents();
    const hostile = {
      id: 'h1',
      platform: 'douyin',
      source: 'main',
      ts: events[0]!.ts,
      kind: 'comment' as const,
      user: { id: '66', name: 'Eve', level: 0, badge: '', badgeLevel: 0 },
      text: '<img src=x onerror="document.title=1">',
    };
    expect((await sink.send([...events, hostile].map(toWireEvent))).kind).toBe('sent');
    await sink.close();

    await page.locator('#count', { hasText: '7' }).waitFor();
    const lines = await page.locator('#events li .s').allTextContents();
    expect(lines).toEqual([
      'Eve: <img src=x onerror="document.title=1">',
      '5466 viewers',
      'Di followed or subscribed',
      'Cy sent 10 × Star (value 30)',
      'Bo liked',
      'Ann joined',
      '小明: 你好 "host" <b>',
    ]);
    expect(await page.locator('#events img').count()).toBe(0);
    expect(await page.title()).toBe(`MetaStudio emulator · ${DEMO.projectId}`);
    expect(external).toEqual([]);
  });
});
