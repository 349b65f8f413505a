import { tmpdir } from 'node:os';
import { expect, test, vi } from 'vitest';
import { DouyinBrowserSourceSchema } from '../../../adapters/douyin-browser/config.js';
import { create as createDouyinBrowserSource } from '../../../adapters/douyin-browser/index.js';
import type { SourceState } from '../../../src/core/source.js';
import { ManualClock } from '../../helpers/clock.js';
import { waitFor } from '../../helpers/wait.js';
import { silentLogger } from '../../helpers/logger.js';

test('no browser binary: an error state with a stable code, retried with backoff, playwright never loaded', async () => {
  const clock = new ManualClock();
  const loadPlaywright = vi.fn(() => Promise.reject(new Error('must not be called')));
  const config = DouyinBrowserSourceSchema.parse({
    platform: 'douyin-browser',
    room: '646454278948',
    executable_path: '/nonexistent/chromium',
    relaunch_base_ms: 1_000,
  });
  const source = createDouyinBrowserSource(config, {
    logger: silentLogger(),
    clock,
    stateDir: tmpdir(),
    random: () => 0.5,
    loadPlaywright,
  });
  const states: SourceState[] = [];
  const reconnects: string[] = [];
  source.on('state', (s) => states.push(s));
  source.on('reconnect', (r) => reconnects.push(r.reason));
  const controller = new AbortController();
  const running = source.start(controller.signal);
  await waitFor(() => states.length === 2, 'the error state');
  expect(states).toEqual([
    { state: 'connecting', reason: 'initial' },
    { state: 'error', reason: 'executable_path /nonexistent/chromium is not an executable file', code: 'browser_not_found' },
  ]);
  // Full jitter: random 0.5 of the first ceiling (1000 ms).
  expect(clock.delays()).toEqual([500]);
  clock.advance(500);
  await waitFor(() => states.length === 4, 'the retry');
  expect(reconnects).toEqual(['initial', 'connect_failed']);
  expect(clock.delays()).toEqual([1_000]);
  controller.abort();
  await running;
  expect(loadPlaywright).not.toHaveBeenCalled();
});

test('a room that is neither a web_rid nor a live URL is refused at creation', () => {
  const config = DouyinBrowserSourceSchema.parse({ platform: 'douyin-browser', room: 'https://example.com/x' });
  expect(() => createDouyinBrowserSource(config, { logger: silentLogger(), clock: new ManualClock(), stateDir: tmpdir() })).toThrow(
    /neither a web_rid/,
  );
});
