/**
 * Long sink outages end to end (bench/lib/outage.ts): what a 150 s outage at 1000 events/s and
 * an 80 s storm at 2000 events/s cost in gifts and follows, at every default, with real HTTP into
 * the emulator on a simulated clock. Every fresh gift and follow should arrive exactly once.
 */
import { runOutage, type OutageScenario, type Tally } from './lib/outage.js';
import type { BenchModule, BenchRow } from './lib/types.js';

const SCENARIOS: { name: string; scenario: OutageScenario }[] = [
  { name: '150 s outage at 1000 ev/s', scenario: { eventsPerSecond: 1000, outageStartMs: 10_000, outageMs: 150_000, totalMs: 400_000 } },
  { name: '80 s storm at 2000 ev/s', scenario: { eventsPerSecond: 2000, outageStartMs: 10_000, outageMs: 80_000, totalMs: 330_000 } },
  {
    name: '80 s storm at 2000 ev/s, batches of 1000',
    scenario: { eventsPerSecond: 2000, outageStartMs: 10_000, outageMs: 80_000, totalMs: 330_000, reporter: { max_batch_events: 1000 } },
  },
];

const describe = (t: Tally) =>
  `${t.enqueued} enqueued, ${t.delivered} delivered, ${t.duplicates} duplicates, ${t.spooledAtEnd} still in the spool at the end (waiting for capacity, not dropped); drops ${JSON.stringify(t.dropped)}`;

const bench: BenchModule = {
  name: 'outage',
  async run(): Promise<BenchRow[]> {
    const rows: BenchRow[] = [];
    for (const { name, scenario } of SCENARIOS) {
      const r = await runOutage(scenario);
      const notes = `${scenario.reporter ? JSON.stringify(scenario.reporter) : 'all defaults'}; 500 to every report from ${scenario.outageStartMs / 1000} s for ${scenario.outageMs / 1000} s, run ${scenario.totalMs / 1000} s simulated; ${r.requests} report requests; spool peak ${r.spooledPeak} events`;
      rows.push(
        {
          name: `${name}: gifts lost`,
          value: r.gift.lost,
          unit: 'gifts',
          target: '0',
          pass: r.gift.lost === 0,
          notes: `${describe(r.gift)}; ${notes}`,
        },
        {
          name: `${name}: follows lost`,
          value: r.follow.lost,
          unit: 'follows',
          target: '0',
          pass: r.follow.lost === 0,
          notes: describe(r.follow),
        },
        {
          name: `${name}: gifts and follows delivered twice`,
          value: r.gift.duplicates + r.follow.duplicates,
          unit: 'events',
          target: '0',
          pass: r.gift.duplicates + r.follow.duplicates === 0,
        },
        {
          name: `${name}: peak RSS`,
          value: r.peakRssMb,
          unit: 'MB',
          target: '< 150',
          pass: r.peakRssMb < 150,
          notes: 'sampled every 5 s simulated, no forced GC',
        },
      );
    }
    return rows;
  },
};

export default bench;
