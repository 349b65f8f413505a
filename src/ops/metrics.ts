/**
 * The Prometheus registry of one stream process. Every bridge series is read from the
 * components' snapshots (EventStats, ReporterStatus, SourceStatus[], SinkStatus) at scrape time
 * through prom-client `collect()` callbacks, so nothing in the hot path touches prom-client;
 * only the request observer records as it goes (a histogram cannot be rebuilt from a snapshot).
 *
 * Naming follows docs/operations.md: `live_bridge_` prefix, base units, counters end in
 * `_total`. Labels are bounded: event type, drop reason, source name, state, operation, status.
 * A user id is never a label.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics, type Metric } from 'prom-client';
import { EVENT_KINDS } from '../core/events.js';
import type { SinkStatus } from '../core/sink.js';
import { SOURCE_STATES } from '../core/source.js';
import { DROP_REASONS, zeroCounts, type DropReasonCode, type EventStats, type KindCounts } from '../core/stats.js';
import { buildInfo } from './build-info.js';
import type { CircuitState, ReporterStatus, RequestObserver, SourceStatus } from '../core/status.js';
import { idleReporterStatus } from './snapshot.js';

/** Metrics defaults. */
export const DEFAULTS = {
  /** Seconds; MetaStudio answers in tens of milliseconds, IAM and timeouts take seconds. */
  requestBuckets: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
} as const;

const CIRCUIT_STATES = ['closed', 'open', 'half-open'] as const satisfies readonly CircuitState[];
const SINK_STATES = ['ready', 'paused', 'stopped', 'failing'] as const satisfies readonly SinkStatus['state'][];

/** What the reporter series read before the reporter exists: nothing queued, nothing sent. */
const NO_REPORTER: ReporterStatus = idleReporterStatus();

const ZERO: KindCounts = zeroCounts();

/** The snapshots the series are read from at scrape time. */
export interface MetricsOptions {
  /** The stream name; a default label on every series. */
  stream: string;
  stats: EventStats;
  /** The reporter's snapshot; null while the bridge is still starting (its series then read 0). */
  reporter: () => ReporterStatus | null;
  sources: () => SourceStatus[];
  sink: () => SinkStatus;
  /** Events held in open gift streaks and like windows, by type; absent or null reads 0. */
  held?: () => KindCounts | null;
  /** Milliseconds since the epoch, for ages (injected by tests). */
  now?: () => number;
  /** Add prom-client's process and Node.js runtime metrics (default true). */
  defaultMetrics?: boolean;
}

/** The registry /metrics serves, and the observer that feeds its request series. */
export interface Metrics {
  registry: Registry;
  /** Records one HTTP exchange with MetaStudio or IAM; hand it to the sink as its observer. */
  observeRequest: RequestObserver;
}

function perKind(metric: Counter<string> | Gauge<string>, counts: KindCounts, extra: Record<string, string> = {}): void {
  for (const kind of EVENT_KINDS) {
    // Counters are rebuilt from the cumulative snapshot at every scrape (they have no `set`).
    if (metric instanceof Counter) metric.inc({ ...extra, type: kind }, counts[kind]);
    else metric.set({ ...extra, type: kind }, counts[kind]);
  }
}

function oneHot<T extends string>(gauge: Gauge<string>, states: readonly T[], current: T, extra: Record<string, string> = {}): void {
  for (const state of states) gauge.set({ ...extra, state }, state === current ? 1 : 0);
}

/**
 * `live_bridge_event_latency_seconds`: a histogram family read from EventStats' latency buckets
 * at scrape time (the reporter fills them as the sink accepts events), shaped as prom-client's
 * own histograms are (`_bucket` with `le`, `_sum`, `_count`), every type always present.
 */
function eventLatencyFamily(stats: EventStats) {
  const name = 'live_bridge_event_latency_seconds';
  const help = "Seconds from an event's platform timestamp to MetaStudio's acceptance of the report carrying it, by type.";
  return {
    name,
    help,
    type: 'histogram',
    aggregator: 'sum',
    get: async () => ({
      name,
      help,
      type: 'histogram',
      aggregator: 'sum',
      values: EVENT_KINDS.flatMap((type) => {
        const h = stats.latency.histogram(type);
        return [
          ...h.buckets.map((b) => ({ metricName: `${name}_bucket`, labels: { le: b.le, type }, value: b.count })),
          { metricName: `${name}_bucket`, labels: { le: '+Inf', type }, value: h.count },
          { metricName: `${name}_sum`, labels: { type }, value: h.sumSeconds },
          { metricName: `${name}_count`, labels: { type }, value: h.count },
        ];
      }),
    }),
    reset: () => {},
  };
}

/** Creates the registry for one stream and the observer for its outgoing requests. */
export function createMetrics(options: MetricsOptions): Metrics {
  const now = options.now ?? Date.now;
  const { stats } = options;
  const registry = new Registry();
  registry.setDefaultLabels({ stream: options.stream });
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const counter = (name: string, help: string, labelNames: string[], fill: (c: Counter<string>) => void) =>
    new Counter({
      name,
      help,
      labelNames,
      registers,
      collect(this: Counter<string>) {
        this.reset();
        fill(this);
      },
    });
  const gauge = (name: string, help: string, labelNames: string[], fill: (g: Gauge<string>) => void) =>
    new Gauge({
      name,
      help,
      labelNames,
      registers,
      collect(this: Gauge<string>) {
        this.reset();
        fill(this);
      },
    });
  const withReporter = (fill: (r: ReporterStatus, g: Gauge<string>) => void) => (g: Gauge<string>) =>
    fill(options.reporter() ?? NO_REPORTER, g);

  counter('live_bridge_events_received_total', 'Events that entered the pipeline from the sources, by type.', ['type'], (c) =>
    perKind(c, stats.received),
  );
  counter('live_bridge_events_sent_total', 'Events MetaStudio accepted, by type.', ['type'], (c) => perKind(c, stats.sent));
  counter(
    'live_bridge_events_coalesced_total',
    'Events folded into another event (viewer counts, likes, gift streaks), by type.',
    ['type'],
    (c) => perKind(c, stats.coalesced),
  );
  counter(
    'live_bridge_events_dropped_total',
    'Events that will never be sent, by type and reason; intentional="true" is policy (filters, staleness), "false" is loss.',
    ['type', 'reason', 'intentional'],
    (c) => {
      // Every known reason at 0 from the first scrape, so the first loss is an increase.
      for (const reason of Object.keys(DROP_REASONS) as DropReasonCode[]) {
        if (!stats.dropped.has(reason)) perKind(c, ZERO, { reason, intentional: String(DROP_REASONS[reason]) });
      }
      for (const [reason, entry] of stats.dropped) perKind(c, entry.counts, { reason, intentional: String(entry.intentional) });
    },
  );
  gauge(
    'live_bridge_events_held',
    'Events received and held in open gift streaks and like windows (passed on or coalesced when they close), by type.',
    ['type'],
    (g) => perKind(g, options.held?.() ?? ZERO),
  );
  counter(
    'live_bridge_events_uncertain_total',
    'Events of requests that got no answer in time (MetaStudio may have processed them), by type; gifts, subscriptions and follows are resent, the rest dropped as uncertain.',
    ['type'],
    (c) => perKind(c, stats.uncertain),
  );
  counter(
    'live_bridge_events_clamped_total',
    'Events passed on with a field corrected at the pipeline entry (a timestamp in the future, a gift total beyond 2^53), by type and reason.',
    ['type', 'reason'],
    (c) => {
      for (const [reason, counts] of stats.clamped) perKind(c, counts, { reason });
    },
  );
  counter(
    'live_bridge_source_discarded_total',
    'Platform input a source could not turn into events (malformed frames, unknown shapes), by source and reason.',
    ['source', 'reason'],
    (c) => {
      for (const [key, n] of stats.discarded) {
        const [source = '', reason = ''] = key.split('\u0000');
        c.inc({ source, reason }, n);
      }
    },
  );

  const upstream = (field: 'calls' | 'units') => (c: Counter<string>) => {
    for (const [key, entry] of stats.upstream) {
      const [source = '', call = ''] = key.split('\u0000');
      c.inc({ source, call }, entry[field]);
    }
  };
  counter(
    'live_bridge_source_upstream_calls_total',
    'Metered upstream calls of each source (YouTube Data API requests), by source and call.',
    ['source', 'call'],
    upstream('calls'),
  );
  counter(
    'live_bridge_source_upstream_units_total',
    'Quota units those calls cost (YouTube: a chat page 5, videos.list 1, search.list 100), by source and call.',
    ['source', 'call'],
    upstream('units'),
  );

  gauge(
    'live_bridge_queue_events',
    'Events waiting in the reporter queue, by type.',
    ['type'],
    withReporter((r, g) => perKind(g, r.queuedByKind)),
  );
  gauge(
    'live_bridge_in_flight_events',
    'Events in the request being sent now.',
    [],
    withReporter((r, g) => g.set(r.inFlight)),
  );
  gauge(
    'live_bridge_oldest_queued_event_age_seconds',
    'Age of the oldest queued event; 0 when the queue is empty.',
    [],
    withReporter((r, g) => g.set((r.oldestQueuedAgeMs ?? 0) / 1000)),
  );
  gauge(
    'live_bridge_spool_events',
    'Events written to the on-disk spool and not yet replayed.',
    [],
    withReporter((r, g) => g.set(r.spooledEvents)),
  );
  gauge(
    'live_bridge_spool_bytes',
    'Size of the on-disk spool.',
    [],
    withReporter((r, g) => g.set(r.spoolBytes)),
  );
  gauge(
    'live_bridge_circuit_state',
    'The reporter circuit breaker: 1 for the current state, 0 for the others.',
    ['state'],
    withReporter((r, g) => oneHot(g, CIRCUIT_STATES, r.circuit)),
  );
  gauge(
    'live_bridge_last_success_timestamp_seconds',
    'When MetaStudio last accepted a report (Unix seconds); 0 before the first.',
    [],
    withReporter((r, g) => g.set((r.lastSuccessAt ?? 0) / 1000)),
  );
  counter('live_bridge_report_retries_total', 'Report requests that were retries of an earlier attempt.', [], (c) =>
    c.inc((options.reporter() ?? NO_REPORTER).retries),
  );

  gauge(
    'live_bridge_sink_state',
    'The sink: 1 for the current state (ready, paused, stopped, failing), 0 for the others.',
    ['state'],
    (g) => oneHot(g, SINK_STATES, options.sink().state),
  );

  gauge('live_bridge_source_state', 'Each source: 1 for its current state, 0 for the others.', ['source', 'platform', 'state'], (g) => {
    for (const s of options.sources()) oneHot(g, SOURCE_STATES, s.state.state, { source: s.name, platform: s.platform });
  });
  counter('live_bridge_source_reconnects_total', 'Reconnections of each source after its first connect.', ['source', 'platform'], (c) => {
    for (const s of options.sources()) c.inc({ source: s.name, platform: s.platform }, s.reconnects);
  });
  gauge(
    'live_bridge_source_last_event_age_seconds',
    'Seconds since each source last produced an event; absent before its first.',
    ['source', 'platform'],
    (g) => {
      const at = now();
      for (const s of options.sources()) {
        if (s.lastEventAt !== null) g.set({ source: s.name, platform: s.platform }, Math.max(0, at - s.lastEventAt) / 1000);
      }
    },
  );

  registry.registerMetric(eventLatencyFamily(stats) as unknown as Metric);

  const build = buildInfo();
  new Gauge({
    name: 'live_bridge_build_info',
    help: 'Always 1; the package version and the Node.js version running it.',
    labelNames: ['version', 'node'],
    registers,
    collect(this: Gauge<string>) {
      this.set({ version: build.version, node: build.node }, 1);
    },
  });

  const requests = new Counter({
    name: 'live_bridge_metastudio_requests_total',
    help: 'HTTP requests to MetaStudio and IAM, by operation and status (HTTP status, network or timeout).',
    labelNames: ['operation', 'status'],
    registers,
  });
  const durations = new Histogram({
    name: 'live_bridge_metastudio_request_duration_seconds',
    help: 'Duration of HTTP requests to MetaStudio and IAM, by operation.',
    labelNames: ['operation'],
    buckets: [...DEFAULTS.requestBuckets],
    registers,
  });
  const observeRequest: RequestObserver = (o) => {
    requests.inc({ operation: o.operation, status: o.status });
    durations.observe({ operation: o.operation }, Math.max(0, o.durationMs) / 1000);
  };

  return { registry, observeRequest };
}
