import { expect, test } from 'vitest';
import { EventStats, zeroCounts } from '../../../src/core/stats.js';
import { LatencyWindow } from '../../../src/ops/latency.js';
import { takeSnapshot } from '../../../src/ops/snapshot.js';
import { renderTop } from '../../../src/ops/top-view.js';
import { reporterStatus } from '../../helpers/ops/status.js';

function snapshotAt(at: number, stats: EventStats, latency: LatencyWindow) {
  return takeSnapshot({
    stream: 'shop-main',
    stats,
    reporter: () =>
      reporterStatus({ queuedByKind: { ...zeroCounts(), comment: 4 }, inFlight: 2, oldestQueuedAgeMs: 100, lastSuccessAt: at - 400 }),
    sources: () => [
      { name: 'douyin:6464', platform: 'douyin', room: '6464', state: { state: 'live' }, reconnects: 0, lastEventAt: at },
      {
        name: 'bili',
        platform: 'bilibili',
        room: '7',
        state: { state: 'offline', reason: 'not broadcasting' },
        reconnects: 0,
        lastEventAt: null,
      },
    ],
    sink: () => ({ state: 'ready' }),
    latency,
    startedAt: at - 3_725_000,
    now: () => at,
  });
}

test('one block per stream: totals and rates, counts per type, sources, losses; an unreachable stream says why', () => {
  const stats = new EventStats();
  const latency = new LatencyWindow();
  for (const ms of [30, 40, 50, 400]) latency.record(ms);
  stats.countReceived('comment', 100);
  stats.countSent('comment', 90);
  const before = snapshotAt(1_000_000, stats, latency);
  stats.countReceived('comment', 20);
  stats.countReceived('gift', 5);
  stats.countSent('comment', 18);
  stats.countSent('gift', 5);
  stats.countDropped('comment', { reason: 'stale', intentional: true }, 3);
  stats.countDropped('comment', { reason: 'queue_full', intentional: false }, 1);
  const now = snapshotAt(1_002_000, stats, latency);

  const lines = renderTop(
    [
      { url: 'http://127.0.0.1:9464', now, before },
      { url: 'http://127.0.0.1:9465', error: 'connection refused (ECONNREFUSED 127.0.0.1:9465)' },
    ],
    { width: 200, intervalMs: 1000, clock: '12:00:00' },
  );
  expect(lines).toEqual([
    'live-bridge top · 2 streams · every 1 s · Ctrl-C quits  12:00:00',
    '',
    'STREAM                 SINK    IN/S  SENT/S  QUEUED   LOST  DROPPED     P50     P99  LAST OK       UP',
    'shop-main             ready    12.5    11.5       6      1        3    40ms   400ms     0.4s     1h02',
    '  in/sent gifts 5/5  subs 0/0  follows 0/0  comments 120/108  joins 0/0  likes 0/0  viewers 0/0',
    '  douyin:6464  live',
    '  bili  offline: not broadcasting',
    '  lost: queue_full 1',
    '',
    'http://127.0.0.1:9465: connection refused (ECONNREFUSED 127.0.0.1:9465)',
    '',
  ]);
  for (const l of renderTop([{ url: 'x', now, before }], { width: 40, intervalMs: 1000, clock: '' }))
    expect(l.length).toBeLessThanOrEqual(40);
});
