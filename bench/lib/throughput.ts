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

/**
 * Measures two steps over the same frames in alternating slices (`rounds` of `ms / rounds`
 * each), so that a load change on a shared machine hits both alike: the ratio of the two is
 * fair even when the absolute figures move.
 */
export function measureInterleaved<F>(
  frames: readonly F[],
  a: (frame: F) => number,
  b: (frame: F) => number,
  ms: number,
  rounds = 8,
): [Measured, Measured] {
  const total = [
    { events: 0, seconds: 0 },
    { events: 0, seconds: 0 },
  ];
  for (let r = 0; r < rounds; r++) {
    for (const [i, step] of [a, b].entries()) {
      const m = measureThroughput(frames, step, ms / rounds);
      total[i]!.events += m.events;
      total[i]!.seconds += m.seconds;
    }
  }
  const done = (t: { events: number; seconds: number }): Measured => ({ ...t, eventsPerSecond: Math.round(t.events / t.seconds) });
  return [done(total[0]!), done(total[1]!)];
}
