/**
 * `reporter:` — batching, rate limit, freshness, retries and spool.
 */
import { z } from 'zod';

const Ms = z.number().int().nonnegative();

export const MaxAgeSchema = z.strictObject({
  viewers: Ms.default(5_000),
  like: Ms.default(10_000),
  join: Ms.default(10_000),
  comment: Ms.default(30_000),
  follow: Ms.default(300_000),
  gift: Ms.default(300_000),
});

export const ReporterSchema = z.strictObject({
  flush_interval_ms: z.number().int().min(10).default(1000),
  max_requests_per_second: z.number().positive().max(100).default(2),
  max_batch_events: z.number().int().min(1).max(1000).default(200),
  max_batch_bytes: z.number().int().min(1024).default(256 * 1024),
  max_queue_events: z.number().int().min(1).default(10_000),
  max_age_ms: MaxAgeSchema.prefault({}),
  retry_base_ms: z.number().int().positive().default(500),
  retry_max_ms: z.number().int().positive().default(30_000),
  circuit_failures: z.number().int().positive().default(5),
  circuit_cooldown_ms: z.number().int().positive().default(10_000),
  spool_after_ms: z.number().int().positive().default(60_000),
  /** On SIGTERM: how long to keep flushing before spooling the rest. */
  shutdown_flush_ms: z.number().int().positive().default(8_000),
});
export type ReporterConfig = z.infer<typeof ReporterSchema>;
