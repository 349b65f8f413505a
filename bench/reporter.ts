/**
 * Reporter latency in real time over real HTTP: pipeline → reporter → MetaStudio sink (AK/SK
 * signing, undici) → the local MetaStudio emulator. Latency is measured per event from the moment
 * the pipeline hands it to the reporter to the emulator's receipt (the emulator runs in this
 * process on the same clock). Each run lasts at most 10 s of feeding plus the final flush.
 */
import { systemClock } from '../src/core/clock.js';
import type { BridgeEvent, EventKind } from '../src/core/events.js';
import { EventStats } from '../src/core/stats.js';
import { toWireEvent, type WireEvent } from '../src/metastudio/wire.js';
import { MetastudioSchema } from '../src/config/sections/metastudio.js';
import { createSink } from '../src/metastudio/index.js';
import { DEMO, demoEmulatorConfig, startEmulator } from '../src/metastudio/emulator/index.js';
import { createPipeline } from '../src/pipeline/index.js';
import { createReporter } from '../src/reporter/index.js';
import { pipelineSections, quantile, reporterSection, silentLogger } from './lib/harness.js';
import { SyntheticRoom } from './lib/room.js';
import type { BenchModule, BenchRow } from './lib/types.js';

const DEFAULTS = { tickMs: 10, quietTargetMs: 50, busySlackMs: 100 } as const;

interface Scenario {
  name: string;
  eventsPerSecond: number;
  seconds: number;
  reporter: Record<string, unknown>;
}

const wireKey = (w: WireEvent) => `${w.type}|${w.timestamp}|${w.content}`;

async function measure(scenario: Scenario): Promise<{
  latencies: number[];
  sent: number;
  received: number;
  maxRequestsPerSecond: number;
  flushIntervalMs: number;
  endToEnd: EventStats['latency'];
}> {
  const emulator = await startEmulator({ config: { ...demoEmulatorConfig(), keep_events: 200_000, keep_requests: 50_000 } });
  const logger = silentLogger();
  const stats = new EventStats();
  const abort = new AbortController();
  const sink = createSink(
    MetastudioSchema.parse({
      endpoint: emulator.url,
      project_id: DEMO.projectId,
      room_id: DEMO.roomId,
      job_id: DEMO.jobId,
      auth: { type: 'aksk', ak: DEMO.ak, sk: DEMO.sk },
    }),
    { logger, clock: systemClock },
  );
  await sink.start(abort.signal);
  const section = reporterSection(scenario.reporter);
  const reporter = createReporter(section, { sink, clock: systemClock, logger, stats });
  const handedAt = new Map<string, number[]>();
  const pipeline = createPipeline(pipelineSections(), {
    clock: systemClock,
    logger,
    stats,
    emit: (event: BridgeEvent) => {
      const key = wireKey(toWireEvent(event));
      const list = handedAt.get(key) ?? [];
      list.push(Date.now());
      handedAt.set(key, list);
      reporter.enqueue(event);
    },
  });
  await reporter.start();
  const room = new SyntheticRoom({ plainGifts: true });
  const total = scenario.eventsPerSecond * scenario.seconds;
  const started = Date.now();
  let pushed = 0;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const due = Math.min(total, Math.floor(((Date.now() - started) * scenario.eventsPerSecond) / 1000));
      while (pushed < due) {
        pipeline.push(room.next(Date.now()));
        pushed += 1;
      }
      if (pushed >= total) {
        clearInterval(timer);
        resolve();
      }
    }, DEFAULTS.tickMs);
  });
  pipeline.flush();
  pipeline.close();
  await reporter.stop();
  abort.abort();
  await sink.close();
  const latencies: number[] = [];
  for (const accepted of emulator.accepted()) {
    const at = handedAt.get(wireKey(accepted.event))?.shift();
    if (at !== undefined) latencies.push(accepted.receivedAt - at);
  }
  const perSecond = new Map<number, number>();
  for (const r of emulator.requests())
    if (r.operation === 'report') perSecond.set(Math.floor(r.receivedAt / 1000), (perSecond.get(Math.floor(r.receivedAt / 1000)) ?? 0) + 1);
  await emulator.close();
  return {
    latencies,
    sent: Object.values(stats.sent).reduce((a, b) => a + b, 0),
    received: pushed,
    maxRequestsPerSecond: Math.max(0, ...perSecond.values()),
    flushIntervalMs: section.flush_interval_ms,
    endToEnd: stats.latency,
  };
}

/** The row of the /metrics figure: live_bridge_event_latency_seconds, read as histogram_quantile reads it. */
function endToEndRow(scenario: Scenario, latency: EventStats['latency']): BenchRow {
  const ms = (q: number, kind?: EventKind) => Math.round(latency.quantile(q, kind) * 1000);
  return {
    name: `end-to-end latency (platform ts → acceptance, /metrics histogram): ${scenario.name}, p99`,
    value: ms(0.99),
    unit: 'ms',
    notes: `live_bridge_event_latency_seconds over every type: p50 ${ms(0.5)} ms; comments p50 ${ms(0.5, 'comment')} / p99 ${ms(0.99, 'comment')} ms; gifts p50 ${ms(0.5, 'gift')} / p99 ${ms(0.99, 'gift')} ms (interpolated inside buckets of 10 ms to 300 s)`,
  };
}

const SCENARIOS = {
  quiet: { name: 'quiet room', eventsPerSecond: 5, seconds: 10, reporter: { max_requests_per_second: 10 } },
  quietDefaultRate: { name: 'quiet room, default 2 req/s', eventsPerSecond: 5, seconds: 10, reporter: {} },
  busy: {
    name: 'busy room',
    eventsPerSecond: 2000,
    seconds: 8,
    reporter: { max_requests_per_second: 2, max_batch_events: 1000, flush_interval_ms: 1000 },
  },
} satisfies Record<string, Scenario>;

const bench: BenchModule = {
  name: 'reporter',
  async run(): Promise<BenchRow[]> {
    const rows: BenchRow[] = [];
    for (const scenario of [SCENARIOS.quiet, SCENARIOS.quietDefaultRate]) {
      const r = await measure(scenario);
      const median = quantile(r.latencies, 0.5);
      const isTarget = scenario === SCENARIOS.quiet;
      rows.push({
        name: `latency: ${scenario.name}, median`,
        value: median,
        unit: 'ms',
        ...(isTarget ? { target: `< ${DEFAULTS.quietTargetMs}`, pass: median < DEFAULTS.quietTargetMs } : {}),
        notes: `${scenario.eventsPerSecond} ev/s for ${scenario.seconds} s, max_requests_per_second ${String((scenario.reporter as Record<string, unknown>).max_requests_per_second ?? 2)}; p99 ${quantile(r.latencies, 0.99)} ms; ${r.latencies.length} events matched at the emulator; real HTTP + AK/SK`,
      });
      rows.push(endToEndRow(scenario, r.endToEnd));
    }
    const busy = await measure(SCENARIOS.busy);
    const p99 = quantile(busy.latencies, 0.99);
    const limit = busy.flushIntervalMs + DEFAULTS.busySlackMs;
    rows.push({
      name: 'latency: busy room, p99 of sent events',
      value: p99,
      unit: 'ms',
      target: `≤ ${limit}`,
      pass: p99 <= limit,
      notes: `2 000 ev/s for 8 s, 2 req/s, batches ≤ 1000; median ${quantile(busy.latencies, 0.5)} ms, max ${Math.max(...busy.latencies)} ms; ${busy.sent} of ${busy.received} events sent after dedupe/caps; peak ${busy.maxRequestsPerSecond} requests in one calendar second`,
    });
    rows.push(endToEndRow(SCENARIOS.busy, busy.endToEnd));
    return rows;
  },
};

export default bench;
