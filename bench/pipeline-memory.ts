/**
 * Memory with the sink down, in its own process (bench/pipeline.ts runs it): 120 000 events of the
 * realistic mix at 2 000 events/s, compressed on a simulated clock (0.5 ms apart, 60 s simulated),
 * through the pipeline into a reporter whose sink answers 503. Prints its rows as JSON.
 */
import { EventStats } from '../src/core/stats.js';
import { createPipeline } from '../src/pipeline/index.js';
import { createReporter } from '../src/reporter/index.js';
import { pipelineSections, reporterSection, SerialisingSink, silentLogger, yieldToLoop } from './lib/harness.js';
import { SyntheticRoom } from './lib/room.js';
import type { BenchRow } from './lib/types.js';
import { VirtualClock } from './lib/virtual-clock.js';

const DEFAULTS = { start: 1_764_000_000_000, events: 120_000, gapMs: 0.5, sampleEvery: 1_000, gcEvery: 10_000, targetRssMb: 150 } as const;
const MB = 1024 * 1024;

/** The collector exposed by --expose-gc (bench/pipeline.ts starts this script with it). */
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

async function memory(): Promise<BenchRow[]> {
  const clock = new VirtualClock(DEFAULTS.start);
  const stats = new EventStats();
  const sink = new SerialisingSink({ kind: 'retry', reason: 'sink down', code: 'http_503' });
  const logger = silentLogger();
  const section = reporterSection();
  const reporter = createReporter(section, { sink, clock, logger, stats });
  const pipeline = createPipeline(pipelineSections(), { clock, logger, stats, emit: (e) => reporter.enqueue(e) });
  await reporter.start();
  const room = new SyntheticRoom();
  let maxQueued = 0;
  let atFull: NodeJS.MemoryUsage | null = null;
  let peakRss = 0;
  let peakRssNoGc = 0;
  gc();
  const start = process.memoryUsage();
  for (let i = 1; i <= DEFAULTS.events; i++) {
    const ts = DEFAULTS.start + Math.floor(i * DEFAULTS.gapMs);
    clock.advanceTo(ts);
    pipeline.push(room.next(ts));
    if (i % DEFAULTS.sampleEvery === 0) {
      await yieldToLoop();
      const queued = Object.values(reporter.status().queuedByKind).reduce((a, b) => a + b, 0);
      maxQueued = Math.max(maxQueued, queued);
      peakRssNoGc = Math.max(peakRssNoGc, process.memoryUsage().rss);
      if (i % DEFAULTS.gcEvery === 0) {
        gc();
        const usage = process.memoryUsage();
        peakRss = Math.max(peakRss, usage.rss);
        if (atFull === null && queued >= section.max_queue_events) atFull = usage;
      }
    }
  }
  gc();
  const end = process.memoryUsage();
  pipeline.close();
  const stopping = reporter.stop();
  clock.advanceTo(clock.now() + section.shutdown_flush_ms);
  await stopping;
  const mb = (bytes: number) => Math.round(bytes / MB);
  const notes = `120 000 events 0.5 ms apart (60 s simulated), sink answering 503, max_queue_events ${section.max_queue_events}`;
  return [
    {
      name: 'memory: peak RSS after GC (sink down, 2 000 ev/s, 60 s)',
      value: mb(peakRss),
      unit: 'MB',
      target: `< ${DEFAULTS.targetRssMb}`,
      pass: mb(peakRss) < DEFAULTS.targetRssMb,
      notes: `${notes}; sampled after gc() every ${DEFAULTS.gcEvery} events; RSS at start ${mb(start.rss)} MB`,
    },
    {
      name: 'memory: peak RSS without forced GC',
      value: mb(peakRssNoGc),
      unit: 'MB',
      notes: 'how far V8 lets the heap grow before collecting (default flags)',
    },
    {
      name: 'memory: live heap growth after the queue filled',
      value: atFull === null ? NaN : mb(end.heapUsed - atFull.heapUsed),
      unit: 'MB',
      target: 'flat (small, bounded)',
      notes:
        atFull === null
          ? 'queue never filled'
          : `heapUsed ${mb(atFull.heapUsed)} → ${mb(end.heapUsed)} MB, RSS ${mb(atFull.rss)} → ${mb(end.rss)} MB (dedupe memory fills to dedupe_max_entries meanwhile)`,
    },
    {
      name: 'memory: queue high-water mark',
      value: maxQueued,
      unit: 'events',
      target: `≤ ${section.max_queue_events}`,
      pass: maxQueued <= section.max_queue_events,
      notes: `sampled every ${DEFAULTS.sampleEvery} events`,
    },
  ];
}

process.stdout.write(JSON.stringify(await memory()));
