import { describe, expect, it } from 'vitest';
import type { SendResult } from '../../../src/core/sink.js';
import { comment, gift, wireId } from '../../helpers/reporter/events.js';
import { reporterHarness, settle, unaccounted } from '../../helpers/reporter/harness.js';
import { captureLogger } from '../../helpers/logger.js';

const sent: SendResult = { kind: 'sent' };

describe('reporter retries', () => {
  it('retries a 5xx with full-jitter backoff and resends the same batch first', async () => {
    const results: SendResult[] = [
      { kind: 'retry', reason: '500', code: 'MSS.00000004' },
      { kind: 'retry', reason: '500', code: 'MSS.00000004' },
    ];
    const h = reporterHarness(
      { retry_base_ms: 500, retry_max_ms: 30_000, max_requests_per_second: 100 },
      { behaviour: () => results.shift() ?? sent, random: () => 0.5 },
    );
    await h.reporter.start();
    const t0 = h.clock.now();
    h.push(gift({ id: 'g1', ts: t0 }));
    await settle(h.clock);
    h.push(gift({ id: 'g2', ts: t0 }));
    await h.clock.advanceAsync(5000);
    // attempt 1 fails → wait 0.5·500; attempt 2 fails → wait 0.5·1000.
    expect(h.sink.calls.map((c) => [c.at - t0, c.events.map(wireId)])).toEqual([
      [0, ['g1']],
      [250, ['g1']],
      [750, ['g1']],
      [750, ['g2']],
    ]);
    expect(h.reporter.status().retries).toBe(2);
    expect(unaccounted(h)).toBe(0);
  });

  it('honours retryAfterMs of a 429 / APIGW.0308', async () => {
    const results: SendResult[] = [{ kind: 'retry', reason: 'throttled', code: 'APIGW.0308', retryAfterMs: 2000 }];
    const h = reporterHarness({}, { behaviour: () => results.shift() ?? sent, random: () => 0 });
    await h.reporter.start();
    const t0 = h.clock.now();
    h.push(comment({ id: 'c1', ts: t0 }));
    await h.clock.advanceAsync(1999);
    expect(h.sink.calls).toHaveLength(1);
    await h.clock.advanceAsync(1);
    expect(h.sink.calls.map((c) => c.at - t0)).toEqual([0, 2000]);
    expect(h.stats.sent.comment).toBe(1);
  });

  it('re-checks freshness on every attempt: events that went stale while waiting are dropped', async () => {
    const h = reporterHarness(
      { max_age_ms: { comment: 3000, gift: 300_000 } },
      { behaviour: (_e, i) => (i === 0 ? { kind: 'retry', reason: 'busy', code: 'X', retryAfterMs: 5000 } : sent) },
    );
    await h.reporter.start();
    const t0 = h.clock.now();
    h.push(comment({ id: 'c1', ts: t0 }));
    h.push(gift({ id: 'g1', ts: t0 }));
    await h.clock.advanceAsync(6000);
    expect(h.sink.calls.map((c) => c.events.map(wireId))).toEqual([['c1', 'g1'], ['g1']]);
    expect(h.stats.dropped.get('stale')?.counts.comment).toBe(1);
    expect(unaccounted(h)).toBe(0);
  });

  it('re-authenticates once on reauth and resends', async () => {
    const h = reporterHarness({}, { behaviour: (_e, i) => (i === 0 ? { kind: 'reauth', reason: '401', code: 'APIGW.0301' } : sent) });
    await h.reporter.start();
    h.push(gift({ id: 'g1', ts: h.clock.now() }));
    await h.clock.advanceAsync(10);
    expect(h.sink.reauths).toBe(1);
    expect(h.sink.calls.map((c) => c.events.map(wireId))).toEqual([['g1'], ['g1']]);
    expect(h.stats.sent.gift).toBe(1);
  });

  it('keeps the batch and backs off on a second reauth: an error log, no retry storm, no loss once the key works', async () => {
    const { logger, entries } = captureLogger();
    let keyWorks = false;
    const h = reporterHarness(
      { circuit_failures: 5 },
      { behaviour: () => (keyWorks ? sent : { kind: 'reauth', reason: 'bad AK/SK', code: 'APIGW.0301' }), logger },
    );
    await h.reporter.start();
    h.push(gift({ id: 'g1', ts: h.clock.now() }));
    await h.clock.advanceAsync(10_000);
    // Each cycle is a send, one re-authentication and one resend, then a backoff.
    expect(h.sink.reauths).toBeGreaterThanOrEqual(1);
    expect(h.sink.calls).toHaveLength(2 * h.sink.reauths);
    expect(h.sink.calls.length).toBeLessThanOrEqual(12);
    expect(h.stats.dropped.size).toBe(0);
    expect(h.reporter.status().queuedByKind.gift + h.reporter.status().inFlight).toBe(1);
    expect(entries.some((e) => e.level === 'error' && String(e.message).includes('refused the credentials again'))).toBe(true);
    keyWorks = true;
    await h.clock.advanceAsync(60_000);
    expect(h.sink.delivered().map(wireId)).toEqual(['g1']);
    expect(h.stats.sent.gift).toBe(1);
    expect(unaccounted(h)).toBe(0);
  });

  it('bisects a rejected batch down to the bad event and sends the rest', async () => {
    const { logger, entries } = captureLogger();
    const bad = (events: readonly { content: string }[]) => events.some((e) => e.content.includes('"bad"'));
    const h = reporterHarness(
      { max_requests_per_second: 100 },
      { behaviour: (events) => (bad(events) ? { kind: 'rejected', reason: 'invalid content', code: 'MSS.00000003' } : sent), logger },
    );
    await h.reporter.start();
    const ids = ['c0', 'c1', 'c2', 'c3', 'c4', 'bad', 'c6', 'c7'];
    for (const id of ids) h.push(comment({ id, ts: h.clock.now(), user: { id: `u${id}`, name: id, level: 1, badge: '', badgeLevel: 0 } }));
    await h.clock.advanceAsync(1000);
    expect(h.sink.calls.map((c) => c.events.length)).toEqual([8, 4, 4, 2, 1, 1, 2]);
    expect(h.sink.delivered().map(wireId)).toEqual(['c0', 'c1', 'c2', 'c3', 'c4', 'c6', 'c7']);
    expect(h.stats.dropped.get('rejected')?.counts.comment).toBe(1);
    const log = entries.find((e) => e.message === 'the sink rejected an event; dropped');
    expect(log).toMatchObject({ id: 'bad', code: 'MSS.00000003', reason: 'invalid content' });
  });

  it('keeps events queued while paused, lets them age out, and resumes', async () => {
    let paused = true;
    const h = reporterHarness(
      { flush_interval_ms: 1000, max_age_ms: { comment: 5000, gift: 300_000 } },
      { behaviour: () => (paused ? { kind: 'paused', reason: 'no job' } : sent) },
    );
    await h.reporter.start();
    const t0 = h.clock.now();
    h.push(comment({ id: 'c1', ts: t0 }));
    h.push(gift({ id: 'g1', ts: t0 }));
    await h.clock.advanceAsync(4000);
    expect(h.reporter.status().inFlight).toBe(2);
    expect(h.reporter.status().circuit).toBe('closed');
    await h.clock.advanceAsync(4000);
    paused = false;
    await h.clock.advanceAsync(40_000);
    expect(h.sink.delivered().map(wireId)).toEqual(['g1']);
    expect(h.stats.dropped.get('stale')?.counts.comment).toBe(1);
    expect(unaccounted(h)).toBe(0);
  });

  it('opens the circuit after circuit_failures and half-opens with one probe after the cooldown', async () => {
    let down = true;
    const h = reporterHarness(
      { circuit_failures: 3, circuit_cooldown_ms: 10_000, retry_base_ms: 100, retry_max_ms: 200 },
      { behaviour: () => (down ? { kind: 'retry', reason: '503', code: 'http_503' } : sent) },
    );
    await h.reporter.start();
    const t0 = h.clock.now();
    h.push(gift({ id: 'g1', ts: t0 }));
    await h.clock.advanceAsync(1000);
    expect(h.sink.calls).toHaveLength(3);
    expect(h.reporter.status()).toMatchObject({ circuit: 'open', circuitOpenSince: h.sink.calls[2]!.at });
    const openedAt = h.sink.calls[2]!.at;
    await h.clock.advanceAsync(openedAt + 9_999 - h.clock.now());
    expect(h.sink.calls).toHaveLength(3);
    await h.clock.advanceAsync(1);
    expect(h.sink.calls).toHaveLength(4);
    expect(h.sink.calls[3]!.at).toBe(openedAt + 10_000);
    expect(h.reporter.status().circuit).toBe('open');
    down = false;
    await h.clock.advanceAsync(10_000);
    expect(h.sink.calls).toHaveLength(5);
    expect(h.reporter.status()).toMatchObject({ circuit: 'closed', circuitOpenSince: null });
    expect(h.stats.sent.gift).toBe(1);
  });
});

describe('reporter robustness', () => {
  it('treats a sink that throws as a transient failure, and a failing reauthenticate() as a failure', async () => {
    let calls = 0;
    const h = reporterHarness({ retry_base_ms: 100, retry_max_ms: 100 }, { random: () => 1 });
    h.sink.send = async () => {
      calls += 1;
      if (calls === 1) throw new Error('socket exploded');
      if (calls === 2) return { kind: 'reauth', reason: '401', code: 'APIGW.0301' };
      return { kind: 'sent' };
    };
    h.sink.reauthenticate = async () => {
      throw new Error('IAM unreachable');
    };
    await h.reporter.start();
    h.push(gift({ id: 'g1', ts: h.clock.now() }));
    await h.clock.advanceAsync(1000);
    expect(calls).toBe(3);
    expect(h.stats.sent.gift).toBe(1);
    expect(h.reporter.status().retries).toBe(2);
    expect(unaccounted(h)).toBe(0);
  });

  it('counts events enqueued after stop() as dropped', async () => {
    const h = reporterHarness();
    await h.reporter.start();
    await h.reporter.stop();
    h.push(comment({ id: 'late', ts: h.clock.now() }));
    expect(h.stats.dropped.get('reporter_stopped')).toEqual({ intentional: false, counts: expect.objectContaining({ comment: 1 }) });
    expect(h.sink.calls).toHaveLength(0);
  });
});
