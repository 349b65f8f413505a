/**
 * The reporter against the MetaStudio emulator over real HTTP (AK/SK signing, undici, real
 * sockets), on the real clock: faults are scripted in the emulator, and what it accepted is
 * compared with what was enqueued.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ReporterSchema } from '../../../src/config/sections/reporter.js';
import { systemClock } from '../../../src/core/clock.js';
import type { BridgeEvent, EventKind } from '../../../src/core/events.js';
import type { Sink } from '../../../src/core/sink.js';
import { EventStats } from '../../../src/core/stats.js';
import { toWireEvent, type WireEvent } from '../../../src/metastudio/wire.js';
import { DEMO, demoEmulatorConfig, startEmulator, type Emulator, type FaultInput } from '../../../src/metastudio/emulator/index.js';
import { createSink } from '../../../src/metastudio/index.js';
import { createReporter, readSpool, SPOOL_FILE, type Reporter } from '../../../src/reporter/index.js';
import { captureLogger } from '../../helpers/logger.js';
import { sinkConfig } from '../../helpers/metastudio/fixtures.js';
import { waitFor } from '../../helpers/wait.js';
import { comment, eventOf, gift } from '../../helpers/reporter/events.js';
import { tempStateDir, unaccounted } from '../../helpers/reporter/harness.js';

const FAST = { retry_base_ms: 50, retry_max_ms: 400, circuit_cooldown_ms: 300, max_requests_per_second: 5 };

let emulator: Emulator | undefined;
const sinks: Sink[] = [];
afterEach(async () => {
  for (const s of sinks.splice(0)) await s.close();
  await emulator?.close();
  emulator = undefined;
});

interface Setup {
  emu: Emulator;
  stats: EventStats;
  reporter: Reporter;
  entries: Record<string, unknown>[];
  stateDir: string;
  push(event: BridgeEvent): void;
}

async function setUp(
  overrides: Record<string, unknown> = {},
  faults: FaultInput[] = [],
  reuse?: { emu: Emulator; stateDir: string },
): Promise<Setup> {
  const emu = reuse?.emu ?? (await startEmulator({ config: { ...demoEmulatorConfig(), keep_events: 20_000 } }));
  emulator = emu;
  const { logger, entries } = captureLogger();
  const sink = createSink(
    sinkConfig({
      endpoint: emu.url,
      project_id: DEMO.projectId,
      room_id: DEMO.roomId,
      job_id: DEMO.jobId,
      request_timeout_ms: 2000,
      auth: { type: 'aksk', ak: DEMO.ak, sk: DEMO.sk },
    }),
    { logger, clock: systemClock },
  );
  sinks.push(sink);
  await sink.start(new AbortController().signal);
  emu.script(faults);
  const stats = new EventStats();
  const stateDir = reuse?.stateDir ?? tempStateDir();
  const reporter = createReporter(
    { ...ReporterSchema.parse({ ...FAST, ...overrides }), state_dir: stateDir },
    { sink, clock: systemClock, logger, stats },
  );
  await reporter.start();
  return {
    emu,
    stats,
    reporter,
    entries,
    stateDir,
    push: (event) => {
      stats.countReceived(event.kind);
      reporter.enqueue(event);
    },
  };
}

/** Nothing queued or in flight: every answer has been counted. */
const idle = (s: Setup) =>
  s.reporter.status().inFlight === 0 &&
  s.reporter.status().spooledEvents === 0 &&
  Object.values(s.reporter.status().queuedByKind).every((n) => n === 0);
const key = (w: WireEvent) => `${w.type}|${w.timestamp}|${w.content}`;
const accepted = (emu: Emulator) => emu.accepted().map((a) => a.event);
const reports = (emu: Emulator) => emu.requests().filter((r) => r.operation === 'report');

/** Every enqueued event reached the emulator exactly once, and in order within its kind. */
function expectDeliveredOnce(emu: Emulator, events: readonly BridgeEvent[]): void {
  const got = accepted(emu).map(key);
  expect(new Set(got).size).toBe(got.length);
  expect([...got].sort()).toEqual(events.map((e) => key(toWireEvent(e))).sort());
  for (const type of [1, 2, 3, 4, 5, 6]) {
    const want = events
      .map(toWireEvent)
      .filter((w) => w.type === type)
      .map(key);
    expect(
      accepted(emu)
        .filter((w) => w.type === type)
        .map(key),
    ).toEqual(want);
  }
}

/** No window of one second holds more than `limit` report requests (starts are exact; receipt may jitter by up to 100 ms). */
function expectRate(emu: Emulator, limit: number): void {
  const at = reports(emu).map((r) => r.receivedAt);
  for (let i = limit; i < at.length; i++) expect(at[i]! - at[i - limit]!).toBeGreaterThanOrEqual(900);
}

const KINDS: EventKind[] = ['comment', 'gift', 'follow', 'join'];
const mixed = (n: number, prefix: string) =>
  Array.from({ length: n }, (_, i) => eventOf(KINDS[i % KINDS.length]!, `${prefix}${i}`, Date.now()));

describe('reporter → MetaStudio emulator', () => {
  it('rides out a 500 storm: retries, opens the circuit, delivers everything once and in order', async () => {
    const storm: FaultInput[] = Array.from({ length: 8 }, () => ({ kind: 'status', status: 500 }));
    const s = await setUp({ circuit_failures: 4 }, storm);
    const events: BridgeEvent[] = [];
    for (let tick = 0; tick < 15; tick++) {
      const batch = mixed(20, `s${tick}-`);
      batch.forEach((e) => s.push(e));
      events.push(...batch);
      await new Promise((r) => setTimeout(r, 100));
    }
    await waitFor(() => accepted(s.emu).length === events.length && idle(s), 'all events accepted', 15_000);
    expectDeliveredOnce(s.emu, events);
    expect(reports(s.emu).filter((r) => r.status === 500)).toHaveLength(8);
    expect(s.entries.some((e) => e.message === 'circuit open: sink failing')).toBe(true);
    expect(s.reporter.status().circuit).toBe('closed');
    expectRate(s.emu, FAST.max_requests_per_second);
    expect(unaccounted(s)).toBe(0);
  });

  it('slows down on 429 / APIGW.0308 and honours Retry-After', async () => {
    const s = await setUp({}, [
      { kind: 'throttle', retry_after: '1' },
      { kind: 'throttle', retry_after: '1' },
    ]);
    const events = mixed(30, 't');
    events.forEach((e) => s.push(e));
    await waitFor(() => accepted(s.emu).length === events.length && idle(s), 'all events accepted', 10_000);
    const log = reports(s.emu);
    expect(log.slice(0, 3).map((r) => [r.status, r.errorCode])).toEqual([
      [429, 'APIGW.0308'],
      [429, 'APIGW.0308'],
      [200, undefined],
    ]);
    expect(log[1]!.receivedAt - log[0]!.receivedAt).toBeGreaterThanOrEqual(990);
    expect(log[2]!.receivedAt - log[1]!.receivedAt).toBeGreaterThanOrEqual(990);
    expectDeliveredOnce(s.emu, events);
  });

  it('re-authenticates once after a 401 and resends', async () => {
    const s = await setUp({}, [
      { kind: 'status', status: 401, error_code: 'APIGW.0301', error_msg: 'Incorrect IAM authentication information' },
    ]);
    const events = mixed(5, 'a');
    events.forEach((e) => s.push(e));
    await waitFor(() => accepted(s.emu).length === events.length && idle(s), 'all events accepted');
    expect(reports(s.emu).map((r) => r.status)).toEqual([401, 200]);
    expectDeliveredOnce(s.emu, events);
  });

  it('isolates the one event of a 200-event batch that the API refuses with 400, and sends the other 199', async () => {
    const s = await setUp({ max_requests_per_second: 50, max_batch_events: 200, max_age_ms: { comment: 0 } });
    const events = Array.from({ length: 200 }, (_, i) => comment({ id: `c${i}`, ts: i === 137 ? 1_000 : Date.now() }));
    events.forEach((e) => s.push(e));
    await waitFor(
      () => s.stats.dropped.get('rejected')?.counts.comment === 1 && accepted(s.emu).length === 199 && idle(s),
      'bisection done',
      10_000,
    );
    expectDeliveredOnce(
      s.emu,
      events.filter((_, i) => i !== 137),
    );
    const requests = reports(s.emu);
    expect(requests[0]!.status).toBe(400);
    // Every half that holds the bad event is refused: 200, 100, 50, 25, 13, 6, 3 and 1 events.
    expect(requests.filter((r) => r.status === 400)).toHaveLength(8);
    const log = s.entries.find((e) => e.message === 'the sink rejected an event; dropped');
    expect(log).toMatchObject({ kind: 'comment', id: 'c137' });
    expect(String(log?.reason)).toMatch(/timestamp/);
    expect(unaccounted(s)).toBe(0);
  });

  it('survives connection resets', async () => {
    const s = await setUp({}, [{ kind: 'drop' }, { kind: 'drop' }, { kind: 'drop' }]);
    const events = mixed(12, 'r');
    events.forEach((e) => s.push(e));
    await waitFor(() => accepted(s.emu).length === events.length && idle(s), 'all events accepted', 10_000);
    expect(reports(s.emu).map((r) => r.status)).toEqual([0, 0, 0, 200]);
    expect(s.stats.sent).toMatchObject({ comment: 3, gift: 3, follow: 3, join: 3 });
    expectDeliveredOnce(s.emu, events);
  });

  it('stop() with a batch in flight: the batch is delivered, the rest spooled, replayed by the next reporter, each gift once', async () => {
    const first = await setUp({ max_batch_events: 10, max_requests_per_second: 1, shutdown_flush_ms: 300 }, [
      { kind: 'delay', latency_ms: 800 },
    ]);
    const gifts = Array.from({ length: 35 }, (_, i) => gift({ id: `g${i}`, ts: Date.now(), count: i + 1 }));
    gifts.forEach((e) => first.push(e));
    await waitFor(() => first.reporter.status().inFlight === 10, 'first batch in flight');
    await first.reporter.stop();
    expect(accepted(first.emu)).toHaveLength(10);
    expect(first.stats.sent.gift).toBe(10);
    const spool = path.join(first.stateDir, SPOOL_FILE);
    const spooled = (await readSpool(first.stateDir)).map((e) => e.id);
    expect(spooled).toEqual(gifts.slice(10).map((g) => g.id));
    expect(unaccounted(first)).toBe(0);

    const second = await setUp({ max_requests_per_second: 5 }, [], { emu: first.emu, stateDir: first.stateDir });
    // The platform replays recent messages after the restart: the spooled ones must not go out twice.
    gifts.slice(10, 14).forEach((g) => second.push(g));
    await waitFor(() => accepted(second.emu).length === gifts.length && idle(second), 'all gifts accepted', 10_000);
    await waitFor(() => !existsSync(spool), 'the spool file to go once every record is acknowledged');
    const got = accepted(second.emu).map((w) => JSON.parse(w.content).gift.giftNum as number);
    expect(got).toEqual(gifts.map((g) => g.gift.count));
    expect(second.stats.dropped.get('duplicate')?.counts.gift).toBe(4);
    expect(unaccounted(second)).toBe(0);
  });
});
