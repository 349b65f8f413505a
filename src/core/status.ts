/**
 * Read-only views the operations surface (/readyz, /metrics, the demo status line) takes from
 * the reporter, the sink and the sources. Implemented by src/reporter and src/bridge; consumed by
 * src/ops. Plain data, so the ops code never reaches into another component's internals.
 */
import type { KindCounts } from './stats.js';
import type { SourceState } from './source.js';

/** The reporter's circuit breaker: open after repeated failures, half-open while one probe is allowed. */
export type CircuitState = 'closed' | 'open' | 'half-open';

/** The reporter's current state. */
export interface ReporterStatus {
  queuedByKind: KindCounts;
  /** Events in the batch being sent now (0 or the batch size). */
  inFlight: number;
  /** Age of the oldest queued event, ms; null when the queue is empty. */
  oldestQueuedAgeMs: number | null;
  /** Events kept only in the spool file (not also queued or in flight), waiting to be sent. */
  spooledEvents: number;
  /** Size of the spool file (a write-ahead log: records and acknowledgements until compacted). */
  spoolBytes: number;
  circuit: CircuitState;
  /** Since when the circuit is open (ms epoch), null when closed. */
  circuitOpenSince: number | null;
  /** Send attempts that were retries. */
  retries: number;
  /** Last accepted request (ms epoch), null before the first. */
  lastSuccessAt: number | null;
}

/** One source as the ops surface sees it. */
export interface SourceStatus {
  name: string;
  platform: string;
  room: string;
  state: SourceState;
  /**
   * When the source entered its current state (ms epoch). /readyz tolerates a short
   * `connecting`/`blocked`/`error` spell only when this is known; absent means "for too long".
   */
  since?: number;
  reconnects: number;
  /** Last event received from this source (ms epoch), null before the first. */
  lastEventAt: number | null;
}

/** One HTTP exchange with MetaStudio or IAM, for the request metrics. */
export interface RequestObservation {
  operation: 'report' | 'show_job' | 'list_jobs' | 'iam_token' | 'refresh_url';
  /** The HTTP status as a string, or `network` / `timeout` when no answer came. */
  status: string;
  durationMs: number;
  /** The answer's Date header (the server's clock), when it had one: `check --online` measures skew with it. */
  serverDate?: string;
}

/** Receives every request observation (the metrics registry, in production). */
export type RequestObserver = (observation: RequestObservation) => void;
