import { expect, test } from 'vitest';
import { fullJitterBackoff, pause } from '../../../src/core/clock.js';
import { ManualClock } from '../../helpers/clock.js';

test('pause resolves true when the wait completes and false when the signal aborts it', async () => {
  const clock = new ManualClock();
  const done = pause(clock, 1000, new AbortController().signal);
  clock.advance(999);
  let settled = false;
  void done.then(() => (settled = true));
  await new Promise((r) => setImmediate(r));
  expect(settled).toBe(false);
  clock.advance(1);
  expect(await done).toBe(true);

  const controller = new AbortController();
  const aborted = pause(clock, 1000, controller.signal);
  controller.abort(new Error('stop'));
  expect(await aborted).toBe(false);
  expect(clock.pending).toBe(0);
  const already = new AbortController();
  already.abort();
  expect(await pause(clock, 10, already.signal)).toBe(false);
});

test('full-jitter backoff stays within [0, min(max, base·2^attempt)]', () => {
  expect(fullJitterBackoff(0, 500, 30_000, () => 0.999)).toBe(499);
  expect(fullJitterBackoff(3, 500, 30_000, () => 0.5)).toBe(2000);
  expect(fullJitterBackoff(20, 500, 30_000, () => 0.999)).toBe(29_970);
  expect(fullJitterBackoff(5, 500, 30_000, () => 0)).toBe(0);
});
