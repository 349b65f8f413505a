/**
 * Percentiles of recent report round trips (the MetaStudio live-event-report requests), for the
 * periodic health line, the status endpoint and `live-bridge top`. A fixed ring of the latest
 * samples: the figures describe the last few hundred requests, not the whole run.
 */

/** How many of the latest samples the percentiles are taken over. */
export const DEFAULT_SAMPLES = 512;

/** p50 and p99 of the kept samples, in milliseconds. */
export interface LatencySummary {
  p50Ms: number;
  p99Ms: number;
  /** Samples the figures were taken over. */
  samples: number;
}

/** A ring of the latest durations. */
export class LatencyWindow {
  readonly #ring: number[] = [];
  #next = 0;

  constructor(readonly capacity = DEFAULT_SAMPLES) {}

  record(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) return;
    if (this.#ring.length < this.capacity) this.#ring.push(ms);
    else this.#ring[this.#next] = ms;
    this.#next = (this.#next + 1) % this.capacity;
  }

  /** Nearest-rank percentiles; null before the first sample. */
  summary(): LatencySummary | null {
    if (this.#ring.length === 0) return null;
    const sorted = [...this.#ring].sort((a, b) => a - b);
    const rank = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
    return { p50Ms: Math.round(rank(50)), p99Ms: Math.round(rank(99)), samples: sorted.length };
  }
}
