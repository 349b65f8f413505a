/**
 * Throughput of a per-frame step on one core, for the decode benchmarks.
 */

/** What a timed run counted. */
export interface Measured {
  events: number;
  seconds: number;
  eventsPerSecond: number;
}

/**
 * Runs `step` over `frames` round-robin for `ms` of wall time and counts what it returns (events
 * per frame). Time is read every 16 frames so that reading it stays out of the figure.
 */
export function measureThroughput<F>(frames: readonly F[], step: (frame: F) => number, ms: number): Measured {
  let events = 0;
  let i = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    for (let k = 0; k < 16; k++) events += step(frames[i++ % frames.length]!);
    now = performance.now();
  }
  const seconds = (now - start) / 1000;
  return { events, seconds, eventsPerSecond: Math.round(events / seconds) };
}
