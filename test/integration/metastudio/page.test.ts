/**
 * The emulator's live page in headless Chromium (Debian's /usr/bin/chromium, as CI installs it):
 * events newest first with their wire type and latency, counts per type, the job state, refused
 * requests with their codes, a type filter, live updates that append instead of rebuilding, and
 * a page that says when no Chinese font is installed. A screenshot is kept for a person to look at.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
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
/** Where the screenshot is kept (LIVE_BRIDGE_SCREENSHOT_DIR, else the temp dir). */
const SHOTS = process.env.LIVE_BRIDGE_SCREENSHOT_DIR ?? path.join(tmpdir(), 'live-bridge-screenshots');
const T0 = 1_764_000_000_000;
// On CI a missing browser is a failure, not a skip; locally it may be absent.
const run = existsSync(CHROMIUM) || process.env.CI === 'true' ? describe : describe.skip;

/** Whether fontconfig knows a font with Chinese glyphs (undefined when fc-list is not there). */
function chineseFontInstalled(): boolean | undefined {
  try {
    return execFileSync('fc-list', [':lang=zh', 'family'], { encoding: 'utf8' }).trim() !== '';
  } catch {
    return undefined;
  }
}

run('emulator live page in headless Chromium', () => {
  let emu: Emulator;
  let browser: Browser;
  // Events stamped T0…T0+5 arrive at T0+850 on the emulator's clock: 850…845 ms late.
  const clock = new ManualClock(T0 + 850);
  beforeAll(async () => {
    emu = await startEmulator({ config: demoEmulatorConfig(), clock });
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  });
  afterAll(async () => {
    await browser?.close();
    await emu?.close();
  });

  const sink = (ak: string) =>
    createSink(
      sinkConfig({
        endpoint: emu.url,
        project_id: DEMO.projectId,
        room_id: DEMO.roomId,
        job_id: DEMO.jobId,
        auth: { type: 'aksk', ak, sk: DEMO.sk },
      }),
      { logger: silentLogger(), clock },
    );

  it('renders events with type and latency, counts, the job, refused requests; filters; appends live; says which font is missing', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    const external: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(emu.url)) external.push(r.url());
    });
    await page.goto(`${emu.url}/`);
    await page.locator('#status', { hasText: 'live' }).waitFor();
    expect(await page.locator('#events li').count()).toBe(0);

    const good = sink(DEMO.ak);
    const events = sampleEvents(T0);
    const hostile = {
      id: 'h1',
      platform: 'douyin',
      source: 'main',
      ts: T0,
      kind: 'comment' as const,
      user: { id: '66', name: 'Eve', level: 0, badge: '', badgeLevel: 0 },
      text: '<img src=x onerror="document.title=1">',
    };
    expect((await good.send([...events, hostile].map(toWireEvent))).kind).toBe('sent');
    // Two refusals: a wrong access key (an auth failure) and a throttled report.
    const bad = sink('WRONGACCESSKEY000000');
    expect((await bad.send(events.slice(0, 1).map(toWireEvent))).kind).toBe('reauth');
    await bad.close();
    emu.script([{ kind: 'throttle', retry_after: '2' }]);
    expect((await good.send(events.slice(1, 2).map(toWireEvent))).kind).toBe('retry');

    await page.locator('#count', { hasText: '7' }).waitFor();
    await page.locator('#refused li', { hasText: 'APIGW.0308' }).waitFor();
    const rows = page.locator('#events li');
    expect(await rows.locator('.s').allTextContents()).toEqual([
      'Eve: <img src=x onerror="document.title=1">',
      '5466 viewers',
      'Di followed or subscribed',
      'Cy sent 10 × Star (value 30)',
      'Bo liked',
      'Ann joined',
      '小明: 你好 "host" <b>',
    ]);
    expect(await rows.locator('.k').allTextContents()).toEqual([
      '1 comment',
      '6 viewers',
      '5 follow/subscribe',
      '4 gift',
      '3 like',
      '2 join',
      '1 comment',
    ]);
    expect(await rows.locator('.l').allTextContents()).toEqual([
      '+850 ms',
      '+845 ms',
      '+846 ms',
      '+847 ms',
      '+848 ms',
      '+849 ms',
      '+850 ms',
    ]);
    const counts = async () =>
      Object.fromEntries(
        await page
          .locator('#filters button')
          .evaluateAll((bs) => bs.map((b) => [b.querySelector('span')?.textContent, Number(b.querySelector('b')?.textContent)])),
      );
    expect(await counts()).toEqual({ comment: 2, join: 1, like: 1, gift: 1, 'follow/subscribe': 1, viewers: 1 });
    expect(await page.locator('#jobs tr').evaluateAll((trs) => trs.map((tr) => tr.textContent))).toEqual([
      `${DEMO.roomId}${DEMO.jobId}PROCESSING`,
    ]);
    expect(await page.locator('#requests').textContent()).toBe('3');
    expect(await page.locator('#refused-count').textContent()).toBe('2');
    expect(await page.locator('#auth-failures').textContent()).toBe('1');
    const refused = await page.locator('#refused li').allTextContents();
    expect(refused).toHaveLength(2);
    expect(refused[0]).toContain('report POST → 429 APIGW.0308 (auth none, scripted fault)');
    expect(refused[1]).toContain('report POST → 401 APIGW.0301 (auth none) Incorrect IAM authentication information: unknown access key');
    expect(await page.locator('#events img').count()).toBe(0);
    expect(await page.title()).toBe(`MetaStudio emulator · ${DEMO.projectId}`);

    const cjk = chineseFontInstalled();
    if (cjk !== undefined) {
      const note = page.locator('#font-note');
      expect(await note.isVisible()).toBe(!cjk);
      if (!cjk) expect(await note.textContent()).toContain('No Chinese font is installed');
    }

    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SHOTS, 'emulator-page.png'), fullPage: true });

    // The filter hides a type by CSS: the rows stay, hidden.
    await page.locator('#filters button', { hasText: 'comment' }).click();
    expect(await page.locator('#events li:visible').count()).toBe(5);
    await page.locator('#filters button', { hasText: 'comment' }).click();
    expect(await page.locator('#events li:visible').count()).toBe(7);

    // Live updates append: the rows already shown are the same elements afterwards.
    const oldest = await rows.last().elementHandle();
    clock.advance(1000);
    expect(
      (
        await good.send(
          sampleEvents(T0 + 1000)
            .slice(3, 4)
            .map(toWireEvent),
        )
      ).kind,
    ).toBe('sent');
    await page.locator('#count', { hasText: '8' }).waitFor();
    expect(await oldest?.evaluate((e) => e.isConnected)).toBe(true);
    expect(await rows.first().locator('.s').textContent()).toBe('Cy sent 10 × Star (value 30)');
    expect(await counts()).toMatchObject({ gift: 2 });
    await good.close();
    expect(external).toEqual([]);
  });
});
