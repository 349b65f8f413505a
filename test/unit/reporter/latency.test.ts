import { describe, expect, it } from 'vitest';
import { EventStats } from '../../../src/core/stats.js';
import { EventLatency, LATENCY_BUCKETS_SECONDS } from '../../../src/core/event-latency.js';
import { createMetrics } from '../../../src/ops/metrics.js';
import { comment, gift, viewers } from '../../helpers/reporter/events.js';
import { reporterHarness, settle } from '../../helpers/reporter/harness.js';

describe('end-to-end latency (platform timestamp → sink acceptance)', () => {
  it('records each accepted event at the answer, on the manual clock, per kind', async () => {
    // Every report takes 150 ms to be answered; the first two fail once (retried after backoff).
    const h = reporterHarness(
      { max_requests_per_second: 100 },
      {
        behaviour: (_e, i) => ({
          result: i === 0 ? { kind: 'retry', reason: 'HTTP 503', code: 'http_503' } : { kind: 'sent' },
          delayMs: 150,
        }),
      },
    );
    await h.reporter.start();
    const t0 = h.clock.now();
    // Platform timestamps 400 ms and 40 ms old, and one 2 s ahead of our clock (a fast platform clock).
    h.push(comment({ id: 'c1', ts: t0 - 400 }));
    h.push(gift({ id: 'g1', ts: t0 - 40 }));
    h.push(viewers({ id: 'v1', ts: t0 + 2000, count: 7 }));
    await settle(h.clock);
    await h.clock.advanceAsync(150); // the first answer: retry
    expect(h.stats.latency.histogram('comment').count).toBe(0);
    await h.clock.advanceAsync(5_000); // backoff, the resend, its answer
    await settle(h.clock);
    expect(h.sink.calls).toHaveLength(2);
    const acceptedAt = h.sink.calls[1]!.answeredAt!;
    expect(h.stats.sent).toMatchObject({ comment: 1, gift: 1, viewers: 1 });
    const c = h.stats.latency.histogram('comment');
    expect(c.count).toBe(1);
    expect(c.sumSeconds).toBeCloseTo((acceptedAt - (t0 - 400)) / 1000, 9);
    const g = h.stats.latency.histogram('gift');
    expect(g.sumSeconds).toBeCloseTo((acceptedAt - (t0 - 40)) / 1000, 9);
    // Ahead of our clock by more than the way took: counted as 0 s, in the first bucket.
    const v = h.stats.latency.histogram('viewers');
    expect(v).toEqual({ buckets: LATENCY_BUCKETS_SECONDS.map((le) => ({ le, count: 1 })), sumSeconds: 0, count: 1 });
    expect(h.stats.latency.histogram('join').count).toBe(0);
  });

  it('buckets, sums and quantiles exactly', () => {
    const l = new EventLatency();
    for (const ms of [50, 100, 101, 250, 900, 1000, 1001, 4000, 299_999, 400_000]) l.observe('comment', ms);
    l.observe('comment', NaN);
    l.observe('gift', 600);
    const h = l.histogram('comment');
    expect(h.count).toBe(10);
    expect(h.sumSeconds).toBeCloseTo(707.401, 9);
    expect(h.buckets.map((b) => [b.le, b.count])).toEqual([
      [0.01, 0],
      [0.025, 0],
      [0.05, 1],
      [0.1, 2],
      [0.25, 4],
      [0.5, 4],
      [0.75, 4],
      [1, 6],
      [1.5, 7],
      [2, 7],
      [3, 7],
      [5, 8],
      [10, 8],
      [30, 8],
      [60, 8],
      [300, 9],
    ]);
    // Rank 5 of 10 falls in (0.75, 1] holding ranks 5–6: halfway is 0.875 s.
    expect(l.quantile(0.5, 'comment')).toBeCloseTo(0.875, 9);
    // Above the last bound: the last bound, as histogram_quantile answers.
    expect(l.quantile(1, 'comment')).toBe(300);
    expect(l.quantile(0.5, 'gift')).toBeCloseTo(0.625, 9);
    expect(l.quantile(0.5, 'join')).toBeNaN();
    // Over every kind: 11 events, rank 5.5 in (0.75, 1] (ranks 5–7 with the gift's 0.6 s below).
    expect(l.quantile(0.5)).toBeCloseTo(0.75 + 0.25 * ((5.5 - 5) / 2), 9);
  });

  it('is on /metrics as live_bridge_event_latency_seconds, per type, with the stream label', async () => {
    const stats = new EventStats();
    stats.latency.observe('gift', 320);
    stats.latency.observe('gift', 1800);
    const metrics = createMetrics({
      stream: 'shop-main',
      stats,
      reporter: () => null,
      sources: () => [],
      sink: () => ({ state: 'ready' }),
      defaultMetrics: false,
    });
    const text = await metrics.registry.metrics();
    expect(text).toContain('# TYPE live_bridge_event_latency_seconds histogram');
    const gift = text.split('\n').filter((l) => l.startsWith('live_bridge_event_latency_seconds') && l.includes('type="gift"'));
    expect(gift).toEqual([
      ...[0.01, 0.025, 0.05, 0.1, 0.25].map(
        (le) => `live_bridge_event_latency_seconds_bucket{le="${le}",type="gift",stream="shop-main"} 0`,
      ),
      ...[0.5, 0.75, 1, 1.5].map((le) => `live_bridge_event_latency_seconds_bucket{le="${le}",type="gift",stream="shop-main"} 1`),
      ...[2, 3, 5, 10, 30, 60, 300].map((le) => `live_bridge_event_latency_seconds_bucket{le="${le}",type="gift",stream="shop-main"} 2`),
      'live_bridge_event_latency_seconds_bucket{le="+Inf",type="gift",stream="shop-main"} 2',
      'live_bridge_event_latency_seconds_sum{type="gift",stream="shop-main"} 2.12',
      'live_bridge_event_latency_seconds_count{type="gift",stream="shop-main"} 2',
    ]);
    expect(text).toContain('live_bridge_event_latency_seconds_count{type="comment",stream="shop-main"} 0');
  });
});
