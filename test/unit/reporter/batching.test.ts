import { describe, expect, it } from 'vitest';
import { toWireEvent } from '../../../src/metastudio/wire.js';
import { comment, eventOf, follow, gift, join, like, T0, viewers, wireId } from '../../helpers/reporter/events.js';
import { readSpool } from '../../../src/reporter/index.js';
import { reporterHarness, settle, unaccounted } from '../../helpers/reporter/harness.js';
import { waitFor } from '../../helpers/wait.js';

describe('reporter batching and rate', () => {
  it('sends the first event of a quiet room at once, exactly as toWireEvent maps it', async () => {
    const h = reporterHarness();
    await h.reporter.start();
    const event = comment({ id: '7653887015607454502', ts: h.clock.now(), text: '主播好 🎉' });
    h.push(event);
    await settle(h.clock);
    expect(h.sink.calls).toHaveLength(1);
    expect(h.sink.calls[0]!.at).toBe(h.clock.now());
    expect(h.sink.calls[0]!.events).toEqual([toWireEvent(event)]);
    expect(h.stats.sent.comment).toBe(1);
    expect(h.reporter.status().lastSuccessAt).toBe(h.clock.now());
  });

  it('batches a burst by max_batch_events and keeps to max_requests_per_second', async () => {
    const h = reporterHarness({ max_batch_events: 200, max_requests_per_second: 2, max_age_ms: { comment: 0 } });
    await h.reporter.start();
    const t0 = h.clock.now();
    for (let i = 0; i < 700; i++) h.push(comment({ id: `c${i}`, ts: t0 }));
    await settle(h.clock);
    await h.clock.advanceAsync(3000);
    expect(h.sink.calls.map((c) => [c.at - t0, c.events.length])).toEqual([
      [0, 200],
      [0, 200],
      [1000, 200],
      [1000, 100],
    ]);
    expect(h.sink.delivered().map(wireId)).toEqual(Array.from({ length: 700 }, (_, i) => `c${i}`));
    expect(unaccounted(h)).toBe(0);
  });

  it('cuts batches at max_batch_bytes of the serialised body', async () => {
    const h = reporterHarness({ max_batch_bytes: 2048, max_requests_per_second: 100 });
    await h.reporter.start();
    for (let i = 0; i < 40; i++) h.push(comment({ id: `c${i}`, ts: h.clock.now(), text: 'x'.repeat(100) }));
    await h.clock.advanceAsync(2000);
    expect(h.sink.delivered()).toHaveLength(40);
    for (const call of h.sink.calls) {
      const body = JSON.stringify({ total: call.events.length, events: call.events, review_config: { no_need_review: true } });
      expect(Buffer.byteLength(body)).toBeLessThanOrEqual(2048);
    }
    expect(h.sink.calls.length).toBeGreaterThan(2);
  });

  it('drops an event larger than max_batch_bytes on its own, counted', async () => {
    const h = reporterHarness({ max_batch_bytes: 1024 });
    await h.reporter.start();
    h.push(comment({ id: 'big', ts: h.clock.now(), text: '字'.repeat(400) }));
    h.push(comment({ id: 'small', ts: h.clock.now() }));
    await settle(h.clock);
    expect(h.sink.delivered().map(wireId)).toEqual(['small']);
    expect(h.stats.dropped.get('too_large')?.counts.comment).toBe(1);
  });

  it('fills a batch by priority and sends it in arrival order', async () => {
    const h = reporterHarness({ max_batch_events: 3, max_requests_per_second: 1, max_age_ms: { viewers: 0, like: 0, join: 0 } });
    await h.reporter.start();
    h.push(comment({ id: 'warm', ts: T0 }));
    await settle(h.clock);
    h.push(viewers({ id: 'v1', ts: T0, count: 1 }));
    h.push(like({ id: 'l1' }));
    h.push(gift({ id: 'g1' }));
    h.push(join({ id: 'j1' }));
    h.push(follow({ id: 'f1' }));
    h.push(comment({ id: 'c1' }));
    await h.clock.advanceAsync(1000);
    expect(h.sink.calls[1]!.events.map(wireId)).toEqual(['g1', 'f1', 'c1']);
    await h.clock.advanceAsync(1000);
    expect(h.sink.calls[2]!.events.map(wireId)).toEqual(['v1', 'l1', 'j1']);
  });

  it('keeps only the latest viewer count per source in the queue', async () => {
    const h = reporterHarness({ max_requests_per_second: 1 });
    await h.reporter.start();
    h.push(comment({ id: 'warm', ts: h.clock.now() }));
    await settle(h.clock);
    for (let i = 1; i <= 5; i++) h.push(viewers({ id: `v${i}`, ts: h.clock.now(), count: i }));
    h.push(viewers({ id: 'v9', ts: h.clock.now(), count: 9, source: 'other' }));
    await h.clock.advanceAsync(1000);
    expect(h.sink.calls[1]!.events.map(wireId)).toEqual(['v5', 'v9']);
    expect(h.stats.coalesced.viewers).toBe(4);
    expect(unaccounted(h)).toBe(0);
  });

  it('drops stale events before sending, by kind', async () => {
    const h = reporterHarness({ max_requests_per_second: 1, max_age_ms: { comment: 30_000, gift: 300_000 } });
    await h.reporter.start();
    const now = h.clock.now();
    h.push(comment({ id: 'old', ts: now - 30_001 }));
    h.push(gift({ id: 'g-old-but-fresh', ts: now - 200_000 }));
    h.push(comment({ id: 'c-aging', ts: now - 29_500 }));
    await settle(h.clock);
    expect(h.sink.calls[0]!.events.map(wireId)).toEqual(['g-old-but-fresh', 'c-aging']);
    expect(h.stats.dropped.get('stale')?.counts.comment).toBe(1);
  });

  it('evicts viewers, likes, joins, comments, follows, subscriptions, gifts in that order when full, and refuses a lesser newcomer; gifts, subscriptions and follows go to the spool instead', async () => {
    const h = reporterHarness({ max_queue_events: 7 });
    // Not started: nothing is sent, so the queue fills.
    const kinds = ['gift', 'subscribe', 'follow', 'comment', 'join', 'like', 'viewers'] as const;
    kinds.forEach((k, i) => h.push(eventOf(k, `${k}${i}`, h.clock.now())));
    const evictedOrder: string[] = [];
    for (let i = 0; i < 7; i++) {
      const before = h.reporter.status().queuedByKind;
      h.push(eventOf('gift', `gx${i}`, h.clock.now()));
      const after = h.reporter.status().queuedByKind;
      evictedOrder.push(kinds.find((k) => k !== 'gift' && after[k] < before[k]) ?? (after.gift === before.gift ? 'gift' : 'none'));
    }
    expect(evictedOrder).toEqual(['viewers', 'like', 'join', 'comment', 'follow', 'subscribe', 'gift']);
    h.push(eventOf('comment', 'late-comment', h.clock.now()));
    expect(h.reporter.status().queuedByKind).toMatchObject({ gift: 7, comment: 0 });
    // The kinds that stay fresh for minutes overflow into the spool; the rest are lost, counted.
    expect(h.stats.dropped.get('queue_full')?.counts).toEqual({
      viewers: 1,
      like: 1,
      join: 1,
      comment: 2,
      follow: 0,
      subscribe: 0,
      gift: 0,
    });
    await settle(h.clock);
    expect(h.reporter.status().spooledEvents).toBe(3);
    const ids = await waitFor(async () => {
      const held = (await readSpool(h.stateDir)).map((e) => e.id);
      return held.length === 3 && held;
    }, 'three spooled events');
    expect(ids).toEqual(['follow2', 'subscribe1', 'gift0']);
    expect(unaccounted(h)).toBe(0);
  });
});
