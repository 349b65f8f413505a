/**
 * A long sink outage, end to end on a simulated clock: the synthetic room (1 event per ms at
 * 1000 events/s) → the pipeline → the reporter (all defaults, a real spool in a temporary
 * state_dir) → the MetaStudio sink (AK/SK, undici) → the local emulator over real HTTP, which
 * answers 500 to every report for `outageMs`. Every gift and follow the pipeline hands to the
 * reporter is then looked for at the emulator: delivered once, twice, or not at all.
 */
import { EventStats } from '../../src/core/stats.js';
import type { BridgeEvent, EventKind } from '../../src/core/events.js';
import type { SendOptions, SendResult, Sink } from '../../src/core/sink.js';
import { MetastudioSchema } from '../../src/config/sections/metastudio.js';
import { createSink } from '../../src/metastudio/index.js';
import { DEMO, demoEmulatorConfig, startEmulator } from '../../src/metastudio/emulator/index.js';
import { toWireEvent, type WireEvent } from '../../src/metastudio/wire.js';
import { createPipeline } from '../../src/pipeline/index.js';
import { createReporter, readSpool } from '../../src/reporter/index.js';
import { pipelineSections, reporterSection, silentLogger, yieldToLoop } from './harness.js';
import { SyntheticRoom } from './room.js';
import { VirtualClock } from './virtual-clock.js';

const DEFAULTS = {
  start: 1_764_000_000_000,
  stepMs: 10,
  /**
   * Real time given to each simulated step, so that the spool's file work (real I/O) keeps up with
   * simulated time as it would in production (10 × faster than real time).
   */
  realMsPerStep: 1,
  sampleEverySteps: 500,
} as const;
const MB = 1024 * 1024;
/** The collector exposed by --expose-gc (bench/outage.ts runs each scenario in a process started with it). */
const gc = (globalThis as { gc?: () => void }).gc;

/** One outage run: the rate of the room, when the outage starts and how long it lasts, and when the run ends. */
export interface OutageScenario {
  eventsPerSecond: number;
  outageStartMs: number;
  outageMs: number;
  /** Simulated length of the whole run (the room keeps talking until then). */
  totalMs: number;
  /** Overrides of the `reporter:` section (none: all defaults). */
  reporter?: Record<string, unknown>;
}

/** What became of the events of one kind that the pipeline handed to the reporter. */
export interface Tally {
  enqueued: number;
  /** Distinct events accepted by the emulator. */
  delivered: number;
  /** Acceptances beyond the first of the same event. */
  duplicates: number;
  /** Never accepted. */
  lost: number;
  /** Of those, still in the spool when the run ended (not dropped: waiting for capacity). */
  spooledAtEnd: number;
  /** Why the reporter dropped events of this kind, by reason. */
  dropped: Record<string, number>;
}

/** The outcome of a run. */
export interface OutageResult {
  gift: Tally;
  follow: Tally;
  /** The highest RSS sampled during the run (V8 left to collect when it likes). */
  peakRssMb: number;
  /** The highest RSS sampled right after a full collection (0 without --expose-gc): what the run really holds. */
  peakRssAfterGcMb: number;
  /** The highest live heap after a full collection (0 without --expose-gc). */
  peakHeapAfterGcMb: number;
  /** Report requests the emulator answered. */
  requests: number;
  /** The highest number of events the reporter said were in its spool. */
  spooledPeak: number;
}

/** FNV-1a over the content's UTF-16 units: a 32-bit fingerprint, enough to tell events of one millisecond apart. */
function fingerprint(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * One wire event's identity: type, timestamp and a fingerprint of its content. Short keys, so the
 * run's own bookkeeping (every gift and follow handed over and accepted) stays small beside the
 * bridge whose memory the run measures (the whole content as a key held ~40 MB of the heap).
 */
const key = (w: WireEvent) => `${w.type}|${w.timestamp}|${fingerprint(w.content)}`;

/** A sink wrapper that lets the driver wait for the request in flight before moving time on. */
class Tracked<W> implements Sink<W> {
  readonly #inner: Sink<W>;
  readonly inFlight = new Set<Promise<SendResult>>();
  readonly name: string;
  readonly encoder: Sink<W>['encoder'];
  constructor(inner: Sink<W>) {
    this.#inner = inner;
    this.name = inner.name;
    this.encoder = inner.encoder;
  }
  send(items: readonly W[], options?: SendOptions): Promise<SendResult> {
    const p = this.#inner.send(items, options);
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
    return p;
  }
  reauthenticate = () => this.#inner.reauthenticate();
  start = (signal: AbortSignal) => this.#inner.start(signal);
  status = () => this.#inner.status();
  close = () => this.#inner.close();
  async settle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all(this.inFlight);
  }
}

/** Runs one scenario (see the module comment). */
export async function runOutage(scenario: OutageScenario): Promise<OutageResult> {
  const clock = new VirtualClock(DEFAULTS.start);
  // Acceptances are counted as they happen (only gift and follow keys are kept), so the emulator
  // holds no more than its default few thousand events and the peak RSS is the bridge's own.
  const handed = new Map<EventKind, Set<string>>([
    ['gift', new Set()],
    ['follow', new Set()],
  ]);
  const accepted = new Map<string, number>();
  const followed = (k: string) => handed.get('gift')!.has(k) || handed.get('follow')!.has(k);
  const emulator = await startEmulator({
    config: { ...demoEmulatorConfig(), keep_requests: 100_000 },
    clock,
    onAccepted: (events) => {
      for (const a of events) {
        const k = key(a.event);
        if (!followed(k)) continue;
        accepted.set(k, (accepted.get(k) ?? 0) + 1);
      }
    },
  });
  const logger = silentLogger();
  const stats = new EventStats();
  const abort = new AbortController();
  const sink = new Tracked(
    createSink(
      MetastudioSchema.parse({
        endpoint: emulator.url,
        project_id: DEMO.projectId,
        room_id: DEMO.roomId,
        job_id: DEMO.jobId,
        auth: { type: 'aksk', ak: DEMO.ak, sk: DEMO.sk },
        job_poll_interval_ms: 3_600_000,
      }),
      { logger, clock },
    ),
  );
  await sink.start(abort.signal);
  const section = reporterSection(scenario.reporter);
  const reporter = createReporter(section, { sink, clock, logger, stats });
  const pipeline = createPipeline(pipelineSections(), {
    clock,
    logger,
    stats,
    emit: (event: BridgeEvent) => {
      handed.get(event.kind)?.add(key(toWireEvent(event)));
      reporter.enqueue(event);
    },
  });
  await reporter.start();
  const room = new SyntheticRoom({ plainGifts: true });
  const perStep = (scenario.eventsPerSecond * DEFAULTS.stepMs) / 1000;
  let peakRss = 0;
  let peakRssAfterGc = 0;
  let peakHeapAfterGc = 0;
  let spooledPeak = 0;
  let outage: 'before' | 'during' | 'after' = 'before';
  for (let step = 0, t = 0; t < scenario.totalMs; step += 1, t += DEFAULTS.stepMs) {
    if (outage === 'before' && t >= scenario.outageStartMs) {
      emulator.outage({ kind: 'status', status: 500 });
      outage = 'during';
    } else if (outage === 'during' && t >= scenario.outageStartMs + scenario.outageMs) {
      emulator.outage(undefined);
      outage = 'after';
    }
    const at = DEFAULTS.start + t;
    clock.advanceTo(at);
    // One event per 1000/eventsPerSecond ms, each with its own timestamp, so every wire event is distinct.
    for (let i = 0; i < perStep; i++) pipeline.push(room.next(at - DEFAULTS.stepMs + Math.floor(((i + 1) * DEFAULTS.stepMs) / perStep)));
    await sink.settle();
    await new Promise((resolve) => setTimeout(resolve, DEFAULTS.realMsPerStep));
    await yieldToLoop();
    if (step % DEFAULTS.sampleEverySteps === 0) {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
      if (gc) {
        gc();
        const usage = process.memoryUsage();
        peakRssAfterGc = Math.max(peakRssAfterGc, usage.rss);
        peakHeapAfterGc = Math.max(peakHeapAfterGc, usage.heapUsed);
      }
      spooledPeak = Math.max(spooledPeak, reporter.status().spooledEvents);
    }
  }
  pipeline.flush();
  pipeline.close();
  const stopping = reporter.stop();
  for (let i = 0; i < 200; i++) {
    clock.advanceTo(clock.now() + 100);
    await sink.settle();
    await yieldToLoop();
  }
  await stopping;
  abort.abort();
  await sink.close();
  const requests = emulator.requests().filter((r) => r.operation === 'report').length;
  const left = await readSpool(section.state_dir);
  await emulator.close();
  const tally = (kind: EventKind): Tally => {
    const mine = handed.get(kind)!;
    let delivered = 0;
    let duplicates = 0;
    for (const k of mine) {
      const n = accepted.get(k) ?? 0;
      if (n > 0) delivered += 1;
      duplicates += Math.max(0, n - 1);
    }
    const dropped: Record<string, number> = {};
    for (const [reason, entry] of stats.dropped) if (entry.counts[kind] > 0) dropped[reason] = entry.counts[kind];
    const spooledAtEnd = left.filter((e) => e.kind === kind).length;
    return { enqueued: mine.size, delivered, duplicates, lost: mine.size - delivered, spooledAtEnd, dropped };
  };
  return {
    gift: tally('gift'),
    follow: tally('follow'),
    peakRssMb: Math.round(peakRss / MB),
    peakRssAfterGcMb: Math.round(peakRssAfterGc / MB),
    peakHeapAfterGcMb: Math.round(peakHeapAfterGc / MB),
    requests,
    spooledPeak,
  };
}
