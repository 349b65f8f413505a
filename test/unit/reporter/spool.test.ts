import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EventStats } from '../../../src/core/stats.js';
import { readSpool, SPOOL_FILE } from '../../../src/reporter/index.js';
import { ManualClock } from '../../helpers/clock.js';
import { comment, follow, gift, join, like, wireId } from '../../helpers/reporter/events.js';
import { reporterHarness, settle, unaccounted, type Harness } from '../../helpers/reporter/harness.js';
import { waitFor } from '../../helpers/wait.js';

const spoolIds = async (dir: string) => (await readSpool(dir)).map((e) => e.id);
/** Waits (real time: the spool's files are real) until the spool holds exactly these ids. */
const spoolHolds = (dir: string, ids: string[]) =>
  waitFor(async () => JSON.stringify(await spoolIds(dir)) === JSON.stringify(ids), `spool ${JSON.stringify(ids)}`);
const down = () => ({ kind: 'retry', reason: 'down', code: 'http_503' }) as const;

/** Runs the manual clock in steps, letting file work finish in between. */
async function run(h: Pick<Harness, 'clock'>, ms: number, stepMs = 500): Promise<void> {
  for (let t = 0; t < ms; t += stepMs) {
    await h.clock.advanceAsync(Math.min(stepMs, ms - t));
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('reporter shutdown and spool', () => {
  it('flushes within shutdown_flush_ms, then spools fresh gifts, follows and comments only', async () => {
    const h = reporterHarness({ shutdown_flush_ms: 3000 }, { behaviour: down });
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
    expect(await spoolIds(h.stateDir)).toEqual(['g1', 'f1', 'c1']);
    expect(h.stats.dropped.get('shutdown')?.counts).toMatchObject({ like: 1, join: 1 });
    expect(h.reporter.status().spooledEvents).toBe(3);
    expect(unaccounted(h)).toBe(0);
  });

  it('waits for the answer to the batch in flight: a delivered batch is not spooled; the next reporter delivers the rest once and the file goes', async () => {
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
    expect(await spoolIds(h.stateDir)).toEqual(['g2', 'g3']);

    const next = reporterHarness({}, { stateDir: h.stateDir, clock: h.clock });
    await next.reporter.start();
    await run(next, 1000, 100);
    expect(next.sink.delivered().map(wireId)).toEqual(['g2', 'g3']);
    await waitFor(() => !existsSync(path.join(h.stateDir, SPOOL_FILE)), 'the spool file to go once all is acknowledged');
    // The platform repeating the same messages after the restart does not make them go out twice.
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
    expect(await spoolIds(h.stateDir)).toEqual(['g1']);
  });

  it('loads only fresh, distinct, valid records, counts the corrupt lines, and reads the earlier one-event-per-line format', async () => {
    const clock = new ManualClock();
    const first = reporterHarness({}, { clock, behaviour: down });
    const now = clock.now();
    first.push(gift({ id: 'g-fresh', ts: now }));
    first.push(gift({ id: 'g-old', ts: now - 250_000 }));
    first.push(follow({ id: 'f1', ts: now }));
    const stopped = first.reporter.stop();
    await clock.advanceAsync(8000);
    await stopped;
    const file = path.join(first.stateDir, SPOOL_FILE);
    // A torn write, a line of the earlier format repeating g-fresh, and garbage.
    appendFileSync(file, '{"o":99,"s":1,"e":{"kind":"gift","id":\n' + JSON.stringify(gift({ id: 'g-fresh', ts: now })) + '\nnot json\n');
    clock.advance(60_000);
    const stats = new EventStats();
    const next = reporterHarness({}, { clock, stateDir: first.stateDir, stats });
    await next.reporter.start();
    await run(next, 1000, 100);
    expect(next.sink.delivered().map(wireId)).toEqual(['g-fresh', 'f1']);
    expect(stats.discarded.get('reporter-spool\u0000corrupt_line')).toBe(2);
    expect(stats.dropped.get('duplicate')?.counts.gift).toBe(1);
    expect(stats.dropped.get('stale')?.counts.gift).toBe(1);
    expect(unaccounted(next)).toBe(0);
    await waitFor(() => !existsSync(file), 'the spool file to go');
  });
});

describe('the spool as a write-ahead log', () => {
  it('writes a gift, follow or comment that waited spool_after_ms wherever it waits (the retry batch too), and keeps it in memory', async () => {
    let sinkDown = true;
    const h = reporterHarness(
      {
        circuit_failures: 2,
        circuit_cooldown_ms: 5000,
        spool_after_ms: 20_000,
        retry_base_ms: 100,
        retry_max_ms: 100,
        max_age_ms: { like: 0 },
      },
      { behaviour: () => (sinkDown ? down() : { kind: 'sent' }) },
    );
    await h.reporter.start();
    const t0 = h.clock.now();
    h.push(gift({ id: 'g0', ts: t0 }));
    h.push(like({ id: 'l0', ts: t0 }));
    await run(h, 1000);
    expect(h.reporter.status().circuit).toBe('open');
    h.push(gift({ id: 'g1', ts: h.clock.now() }));
    h.push(like({ id: 'l1', ts: h.clock.now() }));
    await run(h, 18_000);
    // g0 (in the retry batch) has waited 19 s, g1 (queued) 18 s: neither is written yet.
    expect(await spoolIds(h.stateDir)).toEqual([]);
    await run(h, 2_000);
    await spoolHolds(h.stateDir, ['g0']);
    await run(h, 1_000);
    await spoolHolds(h.stateDir, ['g0', 'g1']);
    // Written, and still in memory: the status counts them once, as queued or in flight.
    expect(h.reporter.status().spooledEvents).toBe(0);
    expect(unaccounted(h)).toBe(0);
    sinkDown = false;
    await run(h, 12_000);
    expect(h.sink.delivered().map(wireId).sort()).toEqual(['g0', 'g1', 'l0', 'l1']);
    await waitFor(() => !existsSync(path.join(h.stateDir, SPOOL_FILE)), 'acknowledged records to be compacted away');
    expect(unaccounted(h)).toBe(0);
  });

  it('keeps every record through a restart while the sink is still down, and a crash after it; the third process delivers each once', async () => {
    const clock = new ManualClock();
    const stateDir = reporterHarness().stateDir;
    const first = reporterHarness({ shutdown_flush_ms: 1000 }, { clock, stateDir, behaviour: down });
    await first.reporter.start();
    for (let i = 0; i < 30; i++) first.push(gift({ id: `g${i}`, ts: clock.now() }));
    const stopped = first.reporter.stop();
    await run(first, 2000, 100);
    await stopped;
    const ids = Array.from({ length: 30 }, (_, i) => `g${i}`);
    expect(await spoolIds(stateDir)).toEqual(ids);

    // The second process starts while MetaStudio is still down, tries, and dies without stopping.
    const second = reporterHarness({ circuit_failures: 1 }, { clock, stateDir, behaviour: down });
    await second.reporter.start();
    await run(second, 5000);
    expect(second.sink.calls.length).toBeGreaterThan(0);
    expect(await spoolIds(stateDir)).toEqual(ids);

    const third = reporterHarness({ max_requests_per_second: 10 }, { clock, stateDir });
    await third.reporter.start();
    await run(third, 3000, 100);
    expect(third.sink.delivered().map(wireId)).toEqual(ids);
    expect(unaccounted(third)).toBe(0);
  });

  it('drains the backlog by priority without evicting fresh events to make room for it', async () => {
    const clock = new ManualClock();
    const stateDir = reporterHarness().stateDir;
    const first = reporterHarness({ shutdown_flush_ms: 1000 }, { clock, stateDir, behaviour: down });
    for (let i = 0; i < 50; i++)
      first.push(i % 2 ? follow({ id: `old-f${i}`, ts: clock.now() }) : gift({ id: `old-g${i}`, ts: clock.now() }));
    const stopped = first.reporter.stop();
    await run(first, 1000, 100);
    await stopped;
    // The new process has room for 10 events in memory, and fresh gifts keep coming.
    const next = reporterHarness({ max_queue_events: 10, max_batch_events: 5, max_requests_per_second: 5 }, { clock, stateDir });
    await next.reporter.start();
    for (let i = 0; i < 40; i++) {
      next.push(gift({ id: `new-g${i}`, ts: clock.now() }));
      next.push(comment({ id: `new-c${i}`, ts: clock.now() }));
      await run(next, 100, 100);
    }
    await run(next, 30_000);
    const delivered = next.sink.delivered().map(wireId);
    expect(new Set(delivered).size).toBe(delivered.length);
    for (let i = 0; i < 50; i++) expect(delivered).toContain(i % 2 ? `old-f${i}` : `old-g${i}`);
    for (let i = 0; i < 40; i++) expect(delivered).toContain(`new-g${i}`);
    // No gift or follow was lost: what did not fit in memory went to the spool, not away.
    expect(next.stats.droppedTotal('gift') + next.stats.droppedTotal('follow')).toBe(0);
    expect(unaccounted(next)).toBe(0);
  });
});

describe('the spool file format', () => {
  it('holds records and acknowledgements as JSON lines', async () => {
    const h = reporterHarness({}, { behaviour: down });
    h.push(gift({ id: 'g1', ts: h.clock.now() }));
    const stopped = h.reporter.stop();
    await h.clock.advanceAsync(8000);
    await stopped;
    const lines = readFileSync(path.join(h.stateDir, SPOOL_FILE), 'utf8').trim().split('\n');
    expect(lines.map((l) => Object.keys(JSON.parse(l) as object))).toEqual([['o', 's', 'e']]);
    expect(JSON.parse(lines[0]!)).toMatchObject({ o: 1, e: { kind: 'gift', id: 'g1' } });
  });
});
