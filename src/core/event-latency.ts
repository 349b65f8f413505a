/**
 * End-to-end latency per event kind: from the platform's event timestamp to the moment the sink
 * accepted the report carrying the event (the product's "within a second" promise). Cumulative
 * fixed buckets kept in typed arrays, so recording one accepted event costs a few comparisons
 * and no allocation (the reporter records every one); /metrics renders them as a histogram.
 */
import { EVENT_KINDS, type EventKind } from './events.js';

/** Upper bounds of the buckets, in seconds (a count above the last one lands in +Inf). */
export const LATENCY_BUCKETS_SECONDS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10, 30, 60, 300] as const;

/** One kind's histogram as Prometheus reads it: cumulative counts per upper bound, then the sum and count. */
export interface LatencyHistogram {
  /** `le` → events at or below it (seconds), in bucket order; +Inf equals `count`. */
  buckets: { le: number; count: number }[];
  /** Sum of the observed latencies, in seconds. */
  sumSeconds: number;
  count: number;
}

const BOUNDS_MS = LATENCY_BUCKETS_SECONDS.map((s) => s * 1000);

/** The per-kind latency store (one per bridge process, in EventStats). */
export class EventLatency {
  /** Per kind: events per bucket (not cumulative), the last slot above every bound. */
  readonly #counts = new Map<EventKind, Float64Array>(EVENT_KINDS.map((k) => [k, new Float64Array(BOUNDS_MS.length + 1)]));
  readonly #sumMs = new Map<EventKind, number>(EVENT_KINDS.map((k) => [k, 0]));

  /**
   * Records one accepted event, `ms` after its platform timestamp. A platform clock ahead of
   * ours gives a negative age: counted as 0 (it was as fresh as can be). Not a number: ignored.
   */
  observe(kind: EventKind, ms: number): void {
    if (Number.isNaN(ms)) return;
    const age = ms > 0 ? ms : 0;
    let i = 0;
    while (i < BOUNDS_MS.length && age > BOUNDS_MS[i]!) i += 1;
    this.#counts.get(kind)![i]! += 1;
    this.#sumMs.set(kind, this.#sumMs.get(kind)! + age);
  }

  /** The histogram of one kind, cumulative as Prometheus wants it. */
  histogram(kind: EventKind): LatencyHistogram {
    const counts = this.#counts.get(kind)!;
    let running = 0;
    const buckets = LATENCY_BUCKETS_SECONDS.map((le, i) => ({ le, count: (running += counts[i]!) }));
    return { buckets, sumSeconds: this.#sumMs.get(kind)! / 1000, count: running + counts[BOUNDS_MS.length]! };
  }

  /**
   * The q-quantile (0..1) of one kind, or of all kinds, read from the buckets as Prometheus'
   * histogram_quantile does (linear inside the bucket; the upper bound of the last finite
   * bucket when it falls above it). Seconds; NaN when nothing was recorded.
   */
  quantile(q: number, kind?: EventKind): number {
    const counts = new Float64Array(BOUNDS_MS.length + 1);
    for (const k of kind ? [kind] : EVENT_KINDS) this.#counts.get(k)!.forEach((n, i) => (counts[i]! += n));
    const total = counts.reduce((a, b) => a + b, 0);
    if (total === 0) return NaN;
    const rank = q * total;
    let below = 0;
    for (let i = 0; i < counts.length; i++) {
      const here = counts[i]!;
      if (below + here >= rank && here > 0) {
        if (i === BOUNDS_MS.length) return LATENCY_BUCKETS_SECONDS[BOUNDS_MS.length - 1]!;
        const lower = i === 0 ? 0 : LATENCY_BUCKETS_SECONDS[i - 1]!;
        return lower + (LATENCY_BUCKETS_SECONDS[i]! - lower) * ((rank - below) / here);
      }
      below += here;
    }
    return LATENCY_BUCKETS_SECONDS[BOUNDS_MS.length - 1]!;
  }
}
