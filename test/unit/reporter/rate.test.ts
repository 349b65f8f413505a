/**
 * The rate limit as the receiver sees it, on the manual clock: requests spend a varying time
 * getting their credentials before they leave (an IAM login, signing) and a varying time on the
 * network; no window of one second at the receiver may hold more than the limit.
 */
import { describe, expect, it } from 'vitest';
import { ReporterSchema } from '../../../src/config/sections/reporter.js';
import type { SendOptions, SendResult, Sink } from '../../../src/core/sink.js';
import { EventStats } from '../../../src/core/stats.js';
import { wireEncoder, type WireEvent } from '../../../src/metastudio/wire.js';
import { createReporter, SlidingWindowLimiter } from '../../../src/reporter/index.js';
import { ManualClock } from '../../helpers/clock.js';
import { silentLogger } from '../../helpers/logger.js';
import { comment } from '../../helpers/reporter/events.js';
import { tempStateDir } from '../../helpers/reporter/harness.js';

/** A seeded generator, so a failure reproduces. */
function lcg(seed: number): () => number {
  let x = seed;
  return () => (x = (x * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
}

/** A sink whose requests leave after `beforeMs` and reach the receiver `latencyMs` later; the receiver logs arrivals. */
class Receiver implements Sink<WireEvent> {
  readonly name = 'receiver';
  readonly encoder = wireEncoder;
  readonly arrivals: number[] = [];
  constructor(
    readonly clock: ManualClock,
    readonly beforeMs: () => number,
    readonly latencyMs: () => number,
  ) {}
  send(_items: readonly WireEvent[], options: SendOptions = {}): Promise<SendResult> {
    return new Promise((resolve) => {
      this.clock.setTimeout(() => {
        options.onDeparture?.();
        this.clock.setTimeout(() => {
          this.arrivals.push(this.clock.now());
          this.clock.setTimeout(() => resolve({ kind: 'sent' }), 15);
        }, this.latencyMs());
      }, this.beforeMs());
    });
  }
  async reauthenticate(): Promise<void> {}
  async start(): Promise<void> {}
  status() {
    return { state: 'ready' } as const;
  }
  async close(): Promise<void> {}
}

/** The most arrivals inside any window [t, t + 1000). */
function busiestSecond(arrivals: readonly number[]): number {
  let most = 0;
  for (let i = 0, j = 0; j < arrivals.length; j++) {
    while (arrivals[j]! - arrivals[i]! >= 1000) i++;
    most = Math.max(most, j - i + 1);
  }
  return most;
}

async function busyRoom(limit: number, margin: number, seed: number): Promise<number[]> {
  const clock = new ManualClock({ zeroDelay: 'manual' });
  const random = lcg(seed);
  // Up to 300 ms before a request leaves; 5..(5 + margin) ms on the way.
  const sink = new Receiver(
    clock,
    () => Math.floor(random() * 300),
    () => 5 + Math.floor(random() * margin),
  );
  const stats = new EventStats();
  const reporter = createReporter(
    { ...ReporterSchema.parse({ max_requests_per_second: limit, rate_margin_ms: margin, max_batch_events: 5 }), state_dir: tempStateDir() },
    { sink, clock, logger: silentLogger(), stats },
  );
  await reporter.start();
  for (let ms = 0, n = 0; ms < 60_000; ms += 10) {
    for (let k = 0; k < 3; k++) reporter.enqueue(comment({ id: `c${n++}`, ts: clock.now() }));
    await clock.advanceAsync(10);
  }
  return sink.arrivals;
}

describe('the rate limit at the receiver', () => {
  it('never lets more than max_requests_per_second arrive in any one second, with credentials and latency varying', async () => {
    for (const [limit, seed] of [
      [2, 1],
      [2, 7],
      [3, 3],
      [1, 5],
    ] as const) {
      const arrivals = await busyRoom(limit, 100, seed);
      expect(arrivals.length, `limit ${limit}`).toBeGreaterThan(limit * 45);
      expect(busiestSecond(arrivals), `limit ${limit}, seed ${seed}`).toBeLessThanOrEqual(limit);
    }
  });

  it('counts a request when it leaves, plus the margin', () => {
    const limiter = new SlidingWindowLimiter(2, 100);
    expect(limiter.nextAt(0)).toBe(0);
    limiter.record(300);
    limiter.record(310);
    expect(limiter.nextAt(1000)).toBe(1400);
    expect(new SlidingWindowLimiter(0.5, 100).nextAt(0)).toBe(0);
    const slow = new SlidingWindowLimiter(0.5, 100);
    slow.record(0);
    expect(slow.nextAt(10)).toBe(2100);
  });
});
