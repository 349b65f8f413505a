/**
 * Runs a real DouyinSource against a FakeDouyin with a ManualClock and records what it emits.
 */
import { DouyinSourceSchema } from '../../../adapters/douyin/config.js';
import { createDouyinSource } from '../../../adapters/douyin/index.js';
import type { BridgeEvent } from '../../../src/core/events.js';
import type { Source, SourceDiscard, SourceState } from '../../../src/core/source.js';
import { captureLogger } from '../logger.js';
import { ManualClock } from './clock.js';
import type { FakeDouyin } from './fake-douyin.js';

export interface Harness {
  source: Source;
  clock: ManualClock;
  events: BridgeEvent[];
  states: SourceState[];
  discards: SourceDiscard[];
  reconnects: string[];
  logs: Record<string, unknown>[];
  frames: Uint8Array[];
  running: Promise<void>;
  stop(): Promise<void>;
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
  const clock = new ManualClock();
  const { logger, entries } = captureLogger();
  const frames: Uint8Array[] = [];
  const source = createDouyinSource(config, { logger, clock, stateDir: '/nonexistent', random: () => 0, onFrame: (b) => frames.push(b) });
  const h: Omit<Harness, 'running' | 'stop'> = { source, clock, events: [], states: [], discards: [], reconnects: [], logs: entries, frames };
  source.on('event', (e) => h.events.push(e));
  source.on('state', (s) => h.states.push(s));
  source.on('discard', (d) => h.discards.push(d));
  source.on('reconnect', (r) => h.reconnects.push(r.reason));
  const controller = new AbortController();
  const running = source.start(controller.signal);
  return {
    ...h,
    running,
    async stop() {
      controller.abort(new Error('test over'));
      await running;
    },
  };
}
