/**
 * One stream's state in plain JSON: what the status endpoint (`GET /status`) serves, what
 * `live-bridge top` and the demo's status line render, and what the periodic health line logs.
 * Read from the same component snapshots as /metrics, at the moment it is asked for.
 */
import { EVENT_KINDS } from '../core/events.js';
import type { SinkStatus } from '../core/sink.js';
import type { SourceStateName } from '../core/source.js';
import { zeroCounts, type EventStats, type KindCounts } from '../core/stats.js';
import type { CircuitState, ReporterStatus, SourceStatus } from '../core/status.js';
import { buildInfo } from './build-info.js';
import type { LatencySummary, LatencyWindow } from './latency.js';

/** Where a snapshot is read from; the same inputs the metrics registry reads. */
export interface SnapshotInputs {
  stream: string;
  stats: EventStats;
  /** The reporter's status; null while the bridge is starting. */
  reporter: () => ReporterStatus | null;
  sources: () => SourceStatus[];
  sink: () => SinkStatus;
  /** Report round trips (the metrics observer feeds it). */
  latency?: LatencyWindow;
  /** Process start, ms epoch. */
  startedAt: number;
  now?: () => number;
}

/** Drops summed by whether they were policy (intentional) or loss, and listed by reason. */
export interface DropSummary {
  /** Filters, caps, duplicates, staleness: the bridge chose not to send them. */
  policy: number;
  /** Queue or spool full, refused by MetaStudio, lost at shutdown: an operator should look. */
  loss: number;
  reasons: { reason: string; intentional: boolean; count: number }[];
}

/** One source as the snapshot shows it. */
export interface SourceSnapshot {
  name: string;
  platform: string;
  room: string;
  state: SourceStateName;
  reason: string | null;
  lastEventAt: number | null;
}

/** The whole status document (`GET /status`). */
export interface StatusSnapshot {
  stream: string;
  version: string;
  node: string;
  /** When it was taken, ms epoch. */
  at: number;
  uptimeSeconds: number;
  received: KindCounts;
  sent: KindCounts;
  coalesced: KindCounts;
  dropped: DropSummary;
  queued: number;
  inFlight: number;
  spooled: number;
  circuit: CircuitState;
  sink: SinkStatus;
  /** Last accepted report, ms epoch; null before the first. */
  lastSuccessAt: number | null;
  /** Report round trips; null before the first. */
  reportLatency: LatencySummary | null;
  sources: SourceSnapshot[];
}

/** What a reporter reads before it exists: nothing queued, nothing sent, the circuit closed. */
export function idleReporterStatus(): ReporterStatus {
  return {
    queuedByKind: zeroCounts(),
    inFlight: 0,
    oldestQueuedAgeMs: null,
    spooledEvents: 0,
    spoolBytes: 0,
    circuit: 'closed',
    circuitOpenSince: null,
    retries: 0,
    lastSuccessAt: null,
  };
}

const sum = (counts: KindCounts) => EVENT_KINDS.reduce((n, k) => n + counts[k], 0);

/** Sums the drop counters into policy and loss. */
export function dropSummary(stats: EventStats): DropSummary {
  const reasons = [...stats.dropped].map(([reason, e]) => ({ reason, intentional: e.intentional, count: sum(e.counts) }));
  return {
    policy: reasons.filter((r) => r.intentional).reduce((n, r) => n + r.count, 0),
    loss: reasons.filter((r) => !r.intentional).reduce((n, r) => n + r.count, 0),
    reasons: reasons.filter((r) => r.count > 0).sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)),
  };
}

/** Takes a snapshot now. */
export function takeSnapshot(inputs: SnapshotInputs): StatusSnapshot {
  const at = (inputs.now ?? Date.now)();
  const reporter = inputs.reporter() ?? idleReporterStatus();
  const { version, node } = buildInfo();
  return {
    stream: inputs.stream,
    version,
    node,
    at,
    uptimeSeconds: Math.max(0, Math.round((at - inputs.startedAt) / 100) / 10),
    received: { ...inputs.stats.received },
    sent: { ...inputs.stats.sent },
    coalesced: { ...inputs.stats.coalesced },
    dropped: dropSummary(inputs.stats),
    queued: sum(reporter.queuedByKind),
    inFlight: reporter.inFlight,
    spooled: reporter.spooledEvents,
    circuit: reporter.circuit,
    sink: inputs.sink(),
    lastSuccessAt: reporter.lastSuccessAt,
    reportLatency: inputs.latency?.summary() ?? null,
    sources: inputs.sources().map((s) => ({
      name: s.name,
      platform: s.platform,
      room: s.room,
      state: s.state.state,
      reason: 'reason' in s.state && typeof s.state.reason === 'string' ? s.state.reason : null,
      lastEventAt: s.lastEventAt,
    })),
  };
}

/** Totals of a per-kind count. */
export function total(counts: KindCounts): number {
  return sum(counts);
}
