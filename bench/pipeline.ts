/**
 * Pipeline benchmarks (simulated clock, one core):
 * - throughput: a realistic mix through dedupe → streaks → filters → likes/joins caps → reporter
 *   queue → batches → request-body serialisation, with the rate limit lifted (we measure CPU cost);
 * - memory (bench/pipeline-memory.ts, in a child process): 120 000 events at 2 000 events/s with
 *   the sink down.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { EventStats } from '../src/core/stats.js';
import { createPipeline } from '../src/pipeline/index.js';
import { createReporter } from '../src/reporter/index.js';
import type { BridgeEvent } from '../src/core/events.js';
import { pipelineSections, reporterSection, SerialisingSink, silentLogger, yieldToLoop } from './lib/harness.js';
import { SyntheticRoom } from './lib/room.js';
import type { BenchModule, BenchRow } from './lib/types.js';
import { VirtualClock } from './lib/virtual-clock.js';

const DEFAULTS = {
  start: 1_764_000_000_000,
  throughputEvents: 600_000,
  warmupEvents: 100_000,
  chunk: 2_000,
  /** Simulated arrival rate of the throughput run: 200 000 events/s. */
  throughputGapMs: 0.005,
  targetEventsPerSecond: 200_000,
} as const;

const MB = 1024 * 1024;

async function throughput(events: number): Promise<{ eventsPerSecond: number; sent: number; requests: number }> {
  const clock = new VirtualClock(DEFAULTS.start);
  const stats = new EventStats();
  const sink = new SerialisingSink();
  const logger = silentLogger();
  const reporter = createReporter(reporterSection({ max_batch_events: 1000, max_batch_bytes: 4 * MB }), {
    sink,
    clock,
    logger,
    stats,
    limiter: { nextAt: (now) => now, record: () => {} },
  });
  const pipeline = createPipeline(pipelineSections(), { clock, logger, stats, emit: (e) => reporter.enqueue(e) });
  await reporter.start();
  const room = new SyntheticRoom();
  let elapsed = 0;
  let ts = DEFAULTS.start;
  for (let done = 0; done < events; done += DEFAULTS.chunk) {
    const chunk: BridgeEvent[] = [];
    for (let i = 0; i < DEFAULTS.chunk; i++) chunk.push(room.next(Math.floor((ts += DEFAULTS.throughputGapMs))));
    const t = performance.now();
    for (const event of chunk) {
      clock.advanceTo(event.ts);
      pipeline.push(event);
    }
    await yieldToLoop();
    elapsed += performance.now() - t;
  }
  pipeline.close();
  const sent = Object.values(stats.sent).reduce((a, b) => a + b, 0);
  return { eventsPerSecond: Math.round(events / (elapsed / 1000)), sent, requests: sink.requests };
}

/** Runs the memory measurement in a fresh process, so that RSS is not the throughput run's leftovers. */
function memory(): Promise<BenchRow[]> {
  const script = fileURLToPath(new URL('./pipeline-memory.js', import.meta.url));
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--expose-gc', script], { maxBuffer: 1024 * 1024 }, (err, stdout) => {
      if (err) reject(err);
      else resolve(JSON.parse(stdout) as BenchRow[]);
    });
  });
}

const bench: BenchModule = {
  name: 'pipeline',
  async run() {
    await throughput(DEFAULTS.warmupEvents);
    const result = await throughput(DEFAULTS.throughputEvents);
    return [
      {
        name: 'throughput: pipeline → queue → batch → body (realistic mix)',
        value: result.eventsPerSecond,
        unit: 'events/s',
        target: `≥ ${DEFAULTS.targetEventsPerSecond}`,
        pass: result.eventsPerSecond >= DEFAULTS.targetEventsPerSecond,
        notes: `${DEFAULTS.throughputEvents} events; ${result.sent} sent in ${result.requests} bodies (rest deduped/folded/capped); rate limit lifted`,
      },
      ...(await memory()),
    ];
  },
};

export default bench;
