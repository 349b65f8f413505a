/**
 * Runs a real DouyinSource against a FakeDouyin with a ManualClock and records what it emits.
 */
import { DouyinSourceSchema } from '../../../adapters/douyin/config.js';
import { create as createDouyinSource } from '../../../adapters/douyin/index.js';
import { startHarness as startSourceHarness, type Harness as SourceHarness } from '../source-harness.js';
import type { FakeDouyin } from './fake-douyin.js';

/** A source harness that also keeps every raw frame the source received. */
export interface Harness extends SourceHarness {
  frames: Uint8Array[];
}

/** Starts a source on `fake` with config overrides; random is pinned to 0 (no backoff delay, -20 % poll jitter). */
export function startHarness(fake: FakeDouyin, overrides: Record<string, unknown> = {}): Harness {
  const config = DouyinSourceSchema.parse({
    platform: 'douyin',
    room: `https://live.douyin.com/${fake.options.webRid}?enter_from=share`,
    cookie: 'sessionid=logged-in-session; msToken=operatorMsToken123',
    urls: fake.urls(),
    gift_list_refresh_ms: 0,
    ...overrides,
  });
  const frames: Uint8Array[] = [];
  const h = startSourceHarness((deps) =>
    createDouyinSource(config, { ...deps, recorder: (_platform, f) => f.type === 'binary' && frames.push(f.bytes) }),
  );
  return { ...h, frames };
}
