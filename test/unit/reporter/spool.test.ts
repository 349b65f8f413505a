import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EventStats } from '../../../src/core/stats.js';
import { SPOOL_FILE } from '../../../src/reporter/index.js';
import { ManualClock } from '../../helpers/clock.js';
import { comment, follow, gift, join, like, wireId } from '../../helpers/reporter/events.js';
import { reporterHarness, settle, unaccounted } from '../../helpers/reporter/harness.js';

const spoolLines = (dir: string) =>
  readFileSync(path.join(dir, SPOOL_FILE), 'utf8')
    .trim()
    .split('\n')
    .map((l) => (JSON.parse(l) as { id: string }).id);

describe('reporter shutdown and spool', () => {
  it('flushes within shutdown_flush_ms, then spools fresh gifts, follows and comments only', async () => {
    const h = reporterHarness({ shutdown_flush_ms: 3000 }, { behaviour: () => ({ kind: 'retry', reason: 'down', code: 'http_503' }) });
    await h.reporter.start();
    const t0 = h.clock.now();
    for (const e of [
      gift({ id: 'g1', ts: t0 }),
      like({ id: 'l1', ts: t0 }),
      follow({ id: 'f1', ts: t0 }),
      join({ id: 'j1', ts: t0 }),
      comment({ id: 'c1', ts: t0 }),
    ])
      h.push(e);
    await settle(h.clock);
    const stopped = h.reporter.stop();
    await h.clock.advanceAsync(3000);
    await stopped;
    expect(spoolLines(h.stateDir)).toEqual(['g1', 'f1', 'c1']);
    expect(h.stats.dropped.get('shutdown')?.counts).toMatchObject({ like: 1, join: 1 });
    expect(h.reporter.status().spooledEvents).toBe(3);
    expect(unaccounted(h)).toBe(0);
  });

  it('waits for the answer to the batch in flight: a delivered batch is not spooled again', async () => {
    const h = reporterHarness(
      { shutdown_flush_ms: 1000, max_batch_events: 2 },
      { behaviour: () => ({ result: { kind: 'sent' }, delayMs: 1500 }) },
    );
    await h.reporter.start();
    const t0 = h.clock.now();
    for (let i = 0; i < 4; i++) h.push(gift({ id: `g${i}`, ts: t0 }));
    await settle(h.clock);
    expect(h.sink.calls).toHaveLength(1);
    const stopped = h.reporter.stop();
    await h.clock.advanceAsync(1500);
    await stopped;
    expect(h.sink.calls).toHaveLength(1);
    expect(h.stats.sent.gift).toBe(2);
    expect(spoolLines(h.stateDir)).toEqual(['g2', 'g3']);

    // A new reporter on the same state_dir replays the spool once and removes it.
    const next = reporterHarness({}, { stateDir: h.stateDir, clock: h.clock });
    await next.reporter.start();
    await settle(next.clock);
    expect(next.sink.delivered().map(wireId)).toEqual(['g2', 'g3']);
    expect(existsSync(path.join(h.stateDir, SPOOL_FILE))).toBe(false);
    // The platform replaying the same messages later does not make them go out twice.
    next.push(gift({ id: 'g2', ts: next.clock.now() }));
    await next.clock.advanceAsync(2000);
    expect(next.sink.delivered().map(wireId)).toEqual(['g2', 'g3']);
    expect(next.stats.dropped.get('duplicate')?.counts.gift).toBe(1);
    expect(unaccounted(next)).toBe(0);
  });

  it('aborts a request that never answers after the grace period and spools its events', async () => {
    const h = reporterHarness({ shutdown_flush_ms: 1000 }, { behaviour: () => ({ result: { kind: 'sent' }, delayMs: 60_000 }) });
    await h.reporter.start();
    h.push(gift({ id: 'g1', ts: h.clock.now() }));
    await settle(h.clock);
    const stopped = h.reporter.stop();
    await h.clock.advanceAsync(6000);
    await stopped;
    expect(h.sink.calls[0]!.result).toMatchObject({ kind: 'retry', code: 'aborted' });
    expect(spoolLines(h.stateDir)).toEqual(['g1']);
  });

  it('replays only fresh, distinct, valid lines and counts the corrupt ones', async () => {
    const clock = new ManualClock();
    const first = reporterHarness({}, { clock, behaviour: () => ({ kind: 'retry', reason: 'down', code: 'X' }) });
    const now = clock.now();
    first.push(gift({ id: 'g-fresh', ts: now }));
    first.push(gift({ id: 'g-old', ts: now - 250_000 }));
    first.push(follow({ id: 'f1', ts: now }));
    const stopped = first.reporter.stop();
    await clock.advanceAsync(8000);
    await stopped;
    const file = path.join(first.stateDir, SPOOL_FILE);
    appendFileSync(file, '{"kind":"gift","id":\n' + readFileSync(file, 'utf8').split('\n')[0] + '\nnot json\n');
    clock.advance(60_000);
    const stats = new EventStats();
    const next = reporterHarness({}, { clock, stateDir: first.stateDir, stats });
    await next.reporter.start();
    await settle(clock);
    expect(next.sink.delivered().map(wireId)).toEqual(['g-fresh', 'f1']);
    expect(stats.discarded.get('reporter-spool\u0000corrupt_line')).toBe(2);
    expect(stats.dropped.get('duplicate')?.counts.gift).toBe(1);
    expect(stats.dropped.get('stale')?.counts.gift).toBe(1);
    expect(unaccounted(next)).toBe(0);
  });

  it('spools gifts, follows and comments while the circuit has been open longer than spool_after_ms, and replays them on recovery', async () => {
    let down = true;
    const h = reporterHarness(
      {
        circuit_failures: 2,
        circuit_cooldown_ms: 5000,
        spool_after_ms: 20_000,
        retry_base_ms: 100,
        retry_max_ms: 100,
        max_age_ms: { gift: 300_000, like: 0 },
      },
      { behaviour: () => (down ? { kind: 'retry', reason: '502', code: 'http_502' } : { kind: 'sent' }) },
    );
    await h.reporter.start();
    h.push(like({ id: 'l0', ts: h.clock.now() }));
    await h.clock.advanceAsync(1000);
    expect(h.reporter.status().circuit).toBe('open');
    h.push(gift({ id: 'g1', ts: h.clock.now() }));
    h.push(like({ id: 'l1', ts: h.clock.now() }));
    await h.clock.advanceAsync(15_000);
    expect(h.reporter.status().spooledEvents).toBe(0);
    await h.clock.advanceAsync(10_000);
    await new Promise((r) => setTimeout(r, 50));
    expect(h.reporter.status()).toMatchObject({ spooledEvents: 1, queuedByKind: { gift: 0, like: 1 } });
    expect(spoolLines(h.stateDir)).toEqual(['g1']);
    down = false;
    await h.clock.advanceAsync(10_000);
    await new Promise((r) => setTimeout(r, 50));
    await h.clock.advanceAsync(2000);
    expect(h.sink.delivered().map(wireId).sort()).toEqual(['g1', 'l0', 'l1']);
    expect(h.reporter.status().spooledEvents).toBe(0);
    expect(existsSync(path.join(h.stateDir, SPOOL_FILE))).toBe(false);
    expect(unaccounted(h)).toBe(0);
  });
});

describe('reporter spool across two outages', () => {
  it('replays an event spooled a second time in the same process instead of dropping it as a duplicate', async () => {
    let upCalls = 0;
    const h = reporterHarness(
      {
        circuit_failures: 1,
        circuit_cooldown_ms: 1000,
        spool_after_ms: 2000,
        retry_base_ms: 100,
        retry_max_ms: 100,
        max_batch_events: 1,
        max_requests_per_second: 100,
        max_age_ms: { gift: 300_000 },
      },
      {
        behaviour: () => {
          if (upCalls <= 0) return { kind: 'retry', reason: '502', code: 'http_502' };
          upCalls -= 1;
          return { kind: 'sent' };
        },
      },
    );
    const run = async (ms: number) => {
      for (let i = 0; i < ms / 500; i++) {
        await h.clock.advanceAsync(500);
        await new Promise((r) => setTimeout(r, 5));
      }
    };
    await h.reporter.start();
    for (const id of ['g0', 'g1', 'g2']) h.push(gift({ id, ts: h.clock.now() }));
    // First outage: g0 is the batch being retried; g1 and g2 go to the spool.
    await run(5000);
    expect(spoolLines(h.stateDir)).toEqual(['g1', 'g2']);
    // One success (g0) closes the circuit and replays g1 and g2; then the sink fails again on g1,
    // and the second outage spools g2 a second time.
    upCalls = 1;
    await run(5000);
    expect(spoolLines(h.stateDir)).toEqual(['g2']);
    upCalls = Infinity;
    await run(5000);
    expect(h.sink.delivered().map(wireId)).toEqual(['g0', 'g1', 'g2']);
    expect(h.stats.dropped.get('duplicate')).toBeUndefined();
    expect(unaccounted(h)).toBe(0);
  });
});
