/**
 * The reporter: bounded priority queue, freshness, batching, rate limit, retries, circuit and
 * spool between the pipeline and the sink. See docs/delivery.md.
 */
import { ThrottledReporter } from './reporter.js';
import type { BridgeEvent } from '../core/events.js';
import type { Reporter, ReporterDeps, ReporterOptions } from './types.js';
import { Wal } from './wal.js';

export type { Reporter, ReporterDeps, ReporterOptions } from './types.js';
export { SlidingWindowLimiter, type RateLimiter } from './rate.js';
export { SPOOL_FILE } from './wal.js';

/** The events a spool holds that have not reached an outcome yet (for tools and tests), in file order. */
export async function readSpool(stateDir: string): Promise<BridgeEvent[]> {
  return (await new Wal(stateDir).load()).live.map((r) => r.event);
}

/**
 * Creates the reporter for one stream.
 * @param options the validated `reporter:` section plus `state_dir` (where the spool file lives)
 * @param deps the sink, the clock, the logger and the shared EventStats (plus, for tests, `random` and `limiter`)
 */
export function createReporter(options: ReporterOptions, deps: ReporterDeps): Reporter {
  return new ThrottledReporter(options, deps);
}
