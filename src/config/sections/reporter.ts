/**
 * `reporter:` — batching, rate limit, freshness, retries and spool (docs/delivery.md).
 */
import { z } from 'zod';

const Ms = z.number().int().nonnegative();

/** Maximum age per kind, ms since the event's platform timestamp; 0 means no limit. */
export const MaxAgeSchema = z.strictObject({
  viewers: Ms.default(5_000),
  like: Ms.default(10_000),
  join: Ms.default(10_000),
  comment: Ms.default(30_000),
  follow: Ms.default(300_000),
  subscribe: Ms.default(300_000),
  gift: Ms.default(300_000),
});

/** `reporter:`: how queued events are batched, paced, retried and spooled. */
export const ReporterSchema = z.strictObject({
  /** While sending is blocked (rate, backoff, circuit), the reporter wakes this often to expire and spool; a paused sink is asked again no sooner. */
  flush_interval_ms: z.number().int().min(10).default(1000),
  /** Requests in any one-second window at the receiver: floor(n) for n ≥ 1; below 1, one per 1/n s. */
  max_requests_per_second: z.number().positive().max(100).default(2),
  /**
   * Added to the limiter's window (requests are counted when they leave), so that differences in
   * network latency never put more than the limit into one second at the receiver.
   */
  rate_margin_ms: z.number().int().nonnegative().max(10_000).default(100),
  /** Events per request (the API takes 1..1000). */
  max_batch_events: z.number().int().min(1).max(1000).default(200),
  /** Bytes of the serialised request body. */
  max_batch_bytes: z
    .number()
    .int()
    .min(1024)
    .default(256 * 1024),
  /** Events held in memory; when full the least important kind gives way. */
  max_queue_events: z.number().int().min(1).default(10_000),
  max_age_ms: MaxAgeSchema.prefault({}),
  /** Full-jitter exponential backoff: random(0, min(retry_max_ms, retry_base_ms·2ⁿ)). */
  retry_base_ms: z.number().int().positive().default(500),
  retry_max_ms: z.number().int().positive().default(30_000),
  /** Consecutive failed sends that open the circuit. */
  circuit_failures: z.number().int().positive().default(5),
  /** How long an open circuit waits before one probe. */
  circuit_cooldown_ms: z.number().int().positive().default(10_000),
  /** A gift, subscription, follow or comment that has waited this long (queued, retried or in flight) is written to the spool. */
  spool_after_ms: z.number().int().positive().default(60_000),
  /** The spool file's size limit; what does not fit is dropped (`spool_full`). */
  max_spool_bytes: z
    .number()
    .int()
    .min(64 * 1024)
    .default(256 * 1024 * 1024),
  /** On SIGTERM: how long to keep flushing before spooling the rest. */
  shutdown_flush_ms: z.number().int().positive().default(8_000),
});
/** A parsed `reporter:` section, defaults applied. */
export type ReporterConfig = z.infer<typeof ReporterSchema>;
