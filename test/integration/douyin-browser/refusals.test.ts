/**
 * A refused room page, in real headless Chromium: the source says `blocked` with the reason and
 * keeps the tab (its stall reload is the retry).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DouyinBrowserSourceSchema } from '../../../adapters/douyin-browser/config.js';
import { create as createDouyinBrowserSource } from '../../../adapters/douyin-browser/index.js';
import type { SourceState } from '../../../src/core/source.js';
import { ManualClock } from '../../helpers/clock.js';
import { waitFor } from '../../helpers/wait.js';
import { WEB_RID } from '../../helpers/douyin/scenario.js';
import { silentLogger } from '../../helpers/logger.js';
import { testChromium } from '../../helpers/douyin-browser/chromium.js';
import { FakeRoom } from '../../helpers/douyin-browser/fake-room.js';

const chromium = testChromium();

describe.skipIf(!chromium)('douyin-browser refusals in real Chromium', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'dyb-refused-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('a room page answered with HTTP 429 is reported as blocked and tried again after blocked_retry_ms', async () => {
    const fake = await new FakeRoom().listen();
    const clock = new ManualClock();
    const config = DouyinBrowserSourceSchema.parse({
      platform: 'douyin-browser',
      room: WEB_RID,
      executable_path: chromium,
      profile_dir: path.join(dir, 'p'),
      urls: { room_page: fake.refusedUrlTemplate },
    });
    const source = createDouyinBrowserSource(config, { logger: silentLogger(), clock, stateDir: dir, random: () => 0 });
    const states: SourceState[] = [];
    source.on('state', (s) => states.push(s));
    const controller = new AbortController();
    const running = source.start(controller.signal);
    try {
      await waitFor(() => states.length === 2, 'the blocked state', 20_000);
      expect(states).toEqual([
        { state: 'connecting', reason: 'initial' },
        { state: 'blocked', reason: 'the room page answered HTTP 429' },
      ]);
      // Not after stall_ms: a refusal waits blocked_retry_ms.
      clock.advance(config.stall_ms);
      expect(states).toHaveLength(2);
      clock.advance(config.blocked_retry_ms - config.stall_ms);
      await waitFor(() => fake.hits(`/refused/${WEB_RID}`).length === 2, 'the retry', 20_000);
      await waitFor(() => states.length === 4, 'the second refusal', 20_000);
      expect(states.slice(2)).toEqual([
        { state: 'connecting', reason: `no push traffic for ${config.blocked_retry_ms} ms; reloading the page` },
        { state: 'blocked', reason: 'the room page answered HTTP 429' },
      ]);
    } finally {
      controller.abort();
      await running;
      await fake.close();
    }
  });
});
