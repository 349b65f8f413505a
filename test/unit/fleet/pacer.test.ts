/**
 * The process-wide pacer on the manual clock: thirty sources (the kit's real lifecycle loop) that
 * all start, or all restart, at the same instant open at most `connects` room lookups and
 * connections per `interval_ms` from one host group, in arrival order, none dropped; groups are
 * paced apart; an aborted wait leaves the queue without taking a slot.
 */
import { describe, expect, it } from 'vitest';
import { follow, type Connector, type LifecyclePolicy } from '../../../adapters/kit/lifecycle.js';
import type { SessionResult } from '../../../adapters/kit/session.js';
import { SourceShell } from '../../../adapters/kit/shell.js';
import { PacingSchema } from '../../../src/config/sections/pacing.js';
import { ConnectPacer } from '../../../src/fleet/pacer.js';
import { ManualClock } from '../../helpers/clock.js';
import { captureLogger } from '../../helpers/logger.js';

const POLICY: LifecyclePolicy = { backoff: { baseMs: 1, maxMs: 1 }, slowRetryMs: 1_000, pollMs: 1_000, recheckAfterFailures: 3 };

/** Upstream calls (lookups and connects) by clock time, for every source. */
type Opened = { at: number; source: string; call: 'resolve' | 'connect' }[];

/** A connector whose every session lasts until the source stops; it logs each call's clock time. */
function connector(clock: ManualClock, source: string, opened: Opened): Connector<string> {
  return {
    resolve: () => {
      opened.push({ at: clock.now(), source, call: 'resolve' });
      return Promise.resolve({ kind: 'live', target: source });
    },
    connect: async (_target, signal): Promise<SessionResult> => {
      opened.push({ at: clock.now(), source, call: 'connect' });
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
      return { end: { kind: 'aborted' }, healthy: true, frames: 0 };
    },
  };
}

/** The most calls within any window of `intervalMs` (a window starts at each call). */
function busiestWindow(opened: Opened, intervalMs: number): number {
  const times = opened.map((o) => o.at).sort((a, b) => a - b);
  return Math.max(0, ...times.map((t, i) => times.slice(i).filter((u) => u < t + intervalMs).length));
}

/** Starts `n` sources of `platform` on one pacer; returns a stopper that waits for them to end. */
function startSources(n: number, platform: string, pacer: ConnectPacer, clock: ManualClock, opened: Opened) {
  const { logger } = captureLogger();
  const controller = new AbortController();
  const done = Array.from({ length: n }, (_, i) => {
    const name = `${platform}:room-${String(i).padStart(2, '0')}`;
    const shell = new SourceShell({
      identity: { platform, room: `room-${i}`, name },
      deps: { logger, clock, stateDir: '/nonexistent', random: () => 0.5, pacer },
    });
    return shell.runs((signal) => follow(shell, connector(clock, name, opened), POLICY, signal)).start(controller.signal);
  });
  return async () => {
    controller.abort();
    await Promise.all(done);
  };
}

/** Advances the clock in 50 ms steps, letting promise chains settle at each. */
async function runFor(clock: ManualClock, ms: number): Promise<void> {
  for (let t = 0; t < ms; t += 50) await clock.advanceAsync(50);
}

describe('the connection pacer', () => {
  it('thirty sources starting, then restarting, at once open at most 5 calls per second, every one served in order', async () => {
    const clock = new ManualClock({ zeroDelay: 'manual' });
    const pacer = new ConnectPacer(PacingSchema.parse({ connects: 5, interval_ms: 1000 }), { clock });
    const opened: Opened = [];
    const start = clock.now();
    let stop = startSources(30, 'douyin', pacer, clock, opened);
    await runFor(clock, 15_000);
    // Every source looked its room up and connected: 60 calls, 5 per second, so 12 s.
    expect(opened).toHaveLength(60);
    expect(busiestWindow(opened, 1000)).toBe(5);
    expect(Math.max(...opened.map((o) => o.at)) - start).toBeGreaterThanOrEqual(11_000);
    // First come, first served: the calls open in the order the sources asked.
    expect(opened.slice(0, 30).map((o) => `${o.call} ${o.source}`)).toEqual(
      Array.from({ length: 30 }, (_, i) => `resolve douyin:room-${String(i).padStart(2, '0')}`),
    );
    expect(pacer.status()).toEqual([
      expect.objectContaining({
        group: 'douyin',
        connects: 5,
        intervalMs: 1000,
        waiting: 0,
        granted: { connect: 30, resolve: 30 },
        delayed: 55,
      }),
    ]);

    // A reload restarts all thirty: the same pacer keeps the new burst at 5 per second.
    await stop();
    const restartAt = clock.now();
    opened.length = 0;
    stop = startSources(30, 'douyin', pacer, clock, opened);
    await runFor(clock, 15_000);
    expect(opened).toHaveLength(60);
    expect(busiestWindow(opened, 1000)).toBe(5);
    expect(Math.min(...opened.map((o) => o.at))).toBeGreaterThanOrEqual(restartAt);
    await stop();
  });

  it('paces each host group on its own; platforms in one group share its rate', async () => {
    const clock = new ManualClock({ zeroDelay: 'manual' });
    const pacing = PacingSchema.parse({
      connects: 2,
      interval_ms: 1000,
      groups: { bytedance: { platforms: ['douyin', 'douyin-browser'], connects: 3 } },
    });
    const pacer = new ConnectPacer(pacing, { clock });
    const douyin: Opened = [];
    const twitch: Opened = [];
    const stops = [
      startSources(5, 'douyin', pacer, clock, douyin),
      startSources(5, 'douyin-browser', pacer, clock, douyin),
      startSources(5, 'twitch', pacer, clock, twitch),
    ];
    await runFor(clock, 8_000);
    expect(douyin).toHaveLength(20);
    expect(twitch).toHaveLength(10);
    expect(busiestWindow(douyin, 1000)).toBe(3);
    expect(busiestWindow(twitch, 1000)).toBe(2);
    expect(pacer.groupOf('douyin-browser')).toBe('bytedance');
    expect(pacer.groupOf('twitch')).toBe('twitch');
    for (const stop of stops) await stop();
  });

  it('an aborted wait leaves the queue and takes no slot; the next caller gets it', async () => {
    const clock = new ManualClock({ zeroDelay: 'manual' });
    const pacer = new ConnectPacer(PacingSchema.parse({ connects: 1, interval_ms: 1000 }), { clock });
    const order: string[] = [];
    await pacer.acquire('douyin', 'connect', new AbortController().signal);
    const gone = new AbortController();
    const first = pacer.acquire('douyin', 'connect', gone.signal).then(
      () => order.push('gone granted'),
      () => order.push('gone aborted'),
    );
    const second = pacer.acquire('douyin', 'connect', new AbortController().signal).then(() => order.push(`second at ${clock.now()}`));
    await clock.advanceAsync(100);
    gone.abort(new Error('stream stopped'));
    await first;
    await clock.advanceAsync(900);
    await second;
    expect(order).toEqual(['gone aborted', `second at ${clock.now()}`]);
    expect(pacer.status()[0]).toMatchObject({ waiting: 0, granted: { connect: 2, resolve: 0 } });
  });

  it('refuses a platform in two groups', () => {
    const r = PacingSchema.safeParse({ groups: { a: { platforms: ['douyin'] }, b: { platforms: ['douyin'] } } });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.message)).toEqual(['douyin is already in group a']);
  });
});
