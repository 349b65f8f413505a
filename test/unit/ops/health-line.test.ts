import { describe, expect, test } from 'vitest';
import { EventStats } from '../../../src/core/stats.js';
import type { SourceStatus } from '../../../src/core/status.js';
import { startHealthLine } from '../../../src/ops/health-line.js';
import { LatencyWindow } from '../../../src/ops/latency.js';
import { takeSnapshot } from '../../../src/ops/snapshot.js';
import { ManualClock } from '../../helpers/clock.js';
import { captureLogger } from '../../helpers/logger.js';
import { reporterStatus } from '../../helpers/ops/status.js';

function world() {
  const clock = new ManualClock();
  const startedAt = clock.now();
  const stats = new EventStats();
  const latency = new LatencyWindow();
  const reporter = reporterStatus();
  const sources: SourceStatus[] = [
    { name: 'douyin:1', platform: 'douyin', room: '1', state: { state: 'live' }, reconnects: 0, lastEventAt: null },
    {
      name: 'bili',
      platform: 'bilibili',
      room: '2',
      state: { state: 'offline', reason: 'not broadcasting' },
      reconnects: 0,
      lastEventAt: null,
    },
  ];
  const snapshot = () =>
    takeSnapshot({
      stream: 'shop',
      stats,
      reporter: () => reporter,
      sources: () => sources,
      sink: () => ({ state: 'ready' }),
      latency,
      startedAt,
      now: () => clock.now(),
    });
  return { clock, stats, latency, reporter, snapshot };
}

describe('the periodic health line', () => {
  test('one info line per interval: counts since the previous line, gauges as of now', async () => {
    const w = world();
    const { logger, entries } = captureLogger();
    const line = startHealthLine({ intervalMs: 60_000, clock: w.clock, logger, snapshot: w.snapshot });

    w.stats.countReceived('comment', 40);
    w.stats.countReceived('gift', 3);
    w.stats.countSent('comment', 30);
    w.stats.countSent('gift', 3);
    w.stats.countDropped('comment', { reason: 'stale', intentional: true }, 2);
    for (const ms of [40, 50, 60, 900]) w.latency.record(ms);
    w.reporter.queuedByKind.comment = 8;
    w.reporter.lastSuccessAt = w.clock.now() + 58_500;
    w.clock.advance(59_999);
    expect(entries).toHaveLength(0);
    w.clock.advance(1);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      level: 'info',
      message: 'status',
      intervalSeconds: 60,
      received: { comment: 40, gift: 3 },
      sent: { comment: 30, gift: 3 },
      dropped: { stale: 2 },
      lost: 0,
      queued: 8,
      inFlight: 0,
      spooled: 0,
      reportLatencyMs: { p50: 50, p99: 900 },
      sources: { 'douyin:1': 'live', bili: 'offline: not broadcasting' },
      sink: 'ready',
      circuit: 'closed',
      lastSuccessAgeSeconds: 1.5,
    });

    // The next interval counts only what happened in it; a loss makes it a warning.
    w.stats.countReceived('comment', 5);
    w.stats.countDropped('comment', { reason: 'queue_full', intentional: false }, 1);
    w.clock.advance(60_000);
    expect(entries).toHaveLength(2);
    expect(entries[1]).toMatchObject({
      level: 'warn',
      message: 'status',
      intervalSeconds: 60,
      received: { comment: 5 },
      sent: {},
      dropped: { queue_full: 1 },
      lost: 1,
    });

    line.stop();
    w.clock.advance(600_000);
    expect(entries).toHaveLength(2);
  });

  test('an interval of 0 logs nothing', () => {
    const w = world();
    const { logger, entries } = captureLogger();
    startHealthLine({ intervalMs: 0, clock: w.clock, logger, snapshot: w.snapshot });
    w.clock.advance(3_600_000);
    expect(entries).toEqual([]);
  });
});
