/**
 * Runs a real TikTok source against a FakeTikTok with a ManualClock (the fake's signed-URL expiry
 * follows the same clock) and records what it emits.
 */
import { TikTokSourceSchema } from '../../../adapters/tiktok/config.js';
import { create } from '../../../adapters/tiktok/index.js';
import type { ManualClock } from '../clock.js';
import { startHarness as startSourceHarness, type Harness } from '../source-harness.js';
import { FakeTikTok, type FakeTikTokOptions } from './fake-tiktok.js';
import { HANDLE, ROOM_ID } from './scenario.js';

export type { Harness } from '../source-harness.js';

/** A fake whose clock is set once the harness exists. */
export async function startFake(
  options: Partial<FakeTikTokOptions> = {},
): Promise<{ fake: FakeTikTok; clock: { now: () => number; set(c: ManualClock): void } }> {
  let clock: ManualClock | undefined;
  const now = () => (clock ? clock.now() : Date.now());
  const fake = await FakeTikTok.start({
    handle: HANDLE,
    broadcast: { roomId: ROOM_ID, status: 2, title: 'shop live' },
    apiKey: 'test-api-key-0001',
    now,
    ...options,
  });
  return { fake, clock: { now, set: (c) => (clock = c) } };
}

/** Starts a source on `fake` with config overrides; random pinned to 0 (no backoff delay, -20 % poll jitter). */
export function startHarness(
  fake: FakeTikTok,
  clock: { set(c: ManualClock): void },
  overrides: Record<string, unknown> = {},
  random = 0,
): Harness {
  const config = TikTokSourceSchema.parse({
    platform: 'tiktok',
    name: 'shop',
    room: `https://www.tiktok.com/@${fake.options.handle}/live`,
    urls: fake.urls(),
    signer: fake.signer(),
    ...overrides,
  });
  const h = startSourceHarness((deps) => create(config, deps), { random });
  clock.set(h.clock);
  return h;
}
