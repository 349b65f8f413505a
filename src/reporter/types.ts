/**
 * The reporter's public shapes: its options, its dependencies and what it offers the bridge.
 */
import type { Clock } from '../core/clock.js';
import type { BridgeEvent } from '../core/events.js';
import type { Logger } from '../core/logger.js';
import type { Sink } from '../core/sink.js';
import type { EventStats } from '../core/stats.js';
import type { ReporterStatus } from '../core/status.js';
import type { ReporterConfig } from '../config/sections/reporter.js';
import type { RateLimiter } from './rate.js';

/** The `reporter:` section plus the state directory the spool lives in. */
export type ReporterOptions = ReporterConfig & { state_dir: string };

/** The reporter's injected sink, clock, logger and counters; randomness and the rate limiter are replaceable for tests. */
export interface ReporterDeps {
  sink: Sink;
  clock: Clock;
  logger: Logger;
  stats: EventStats;
  /** Randomness for backoff jitter (tests pass a seeded one). */
  random?: () => number;
  /** The request-rate limit; defaults to a sliding window of `max_requests_per_second` (plus `rate_margin_ms`) on `clock`. */
  limiter?: RateLimiter;
}

/** What the bridge drives: start, enqueue, stop and a status for /readyz and /metrics. */
export interface Reporter {
  /** Loads the spool left by an earlier process (its fresh events join the backlog, by priority) and starts sending. */
  start(): Promise<void>;
  /** Queues one event (already counted as received by the pipeline). Never throws. */
  enqueue(event: BridgeEvent): void;
  /** Flushes for up to `shutdown_flush_ms`, then spools fresh gifts, subscriptions, follows and comments and drops the rest. */
  stop(): Promise<void>;
  /** `inFlight` counts the batch being sent plus batches waiting for a retry or bisection. */
  status(): ReporterStatus;
}
