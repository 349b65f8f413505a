/**
 * Long sink outages end to end (bench/lib/outage.ts): what a 150 s outage at 1000 events/s and
 * an 80 s storm at 2000 events/s cost in gifts and follows, at every default, with real HTTP into
 * the emulator on a simulated clock. Every fresh gift and follow should arrive exactly once.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { OutageResult, OutageScenario, Tally } from './lib/outage.js';
import type { BenchModule, BenchRow } from './lib/types.js';

const SCENARIOS: { name: string; scenario: OutageScenario }[] = [
  { name: '150 s outage at 1000 ev/s', scenario: { eventsPerSecond: 1000, outageStartMs: 10_000, outageMs: 150_000, totalMs: 400_000 } },
  { name: '80 s storm at 2000 ev/s', scenario: { eventsPerSecond: 2000, outageStartMs: 10_000, outageMs: 80_000, totalMs: 330_000 } },
  {
    name: '80 s storm at 2000 ev/s, batches of 1000',
    scenario: { eventsPerSecond: 2000, outageStartMs: 10_000, outageMs: 80_000, totalMs: 330_000, reporter: { max_batch_events: 1000 } },
  },
];

/**
 * The run must stay under what the shipped supervisors allow a stream (pm2's max_memory_restart
 * 300M in ecosystem.config.js; the Kubernetes limit is 384 Mi): a long outage that crossed it would
 * be restarted, and a restart loop is what the spool has to survive. The process also hosts the
 * emulator (its HTTP server and request log), so this is an upper bound on the bridge's own.
 */
const TARGET_RSS_MB = 300;

/** Runs one scenario in a fresh process with --expose-gc (bench/outage-run.ts). */
function runIsolated(scenario: OutageScenario): Promise<OutageResult> {
  const script = fileURLToPath(new URL('./outage-run.js', import.meta.url));
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--expose-gc', script, JSON.stringify(scenario)], { maxBuffer: 1024 * 1024 }, (err, stdout) => {
      if (err) reject(err);
      else resolve(JSON.parse(stdout) as OutageResult);
    });
  });
}

const describe = (t: Tally) =>
  `${t.enqueued} enqueued, ${t.delivered} delivered, ${t.duplicates} duplicates, ${t.spooledAtEnd} still in the spool at the end (waiting for capacity, not dropped); drops ${JSON.stringify(t.dropped)}`;

const bench: BenchModule = {
  name: 'outage',
  async run(): Promise<BenchRow[]> {
    const rows: BenchRow[] = [];
    for (const { name, scenario } of SCENARIOS) {
      const r = await runIsolated(scenario);
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
          target: `< ${TARGET_RSS_MB}`,
          pass: r.peakRssMb < TARGET_RSS_MB,
          notes: `sampled every 5 s simulated, just before the full collection that sample forces, in a process of its own that also hosts the emulator; pm2 restarts a stream at 300M`,
        },
        {
          name: `${name}: peak live heap after GC`,
          value: r.peakHeapAfterGcMb,
          unit: 'MB',
          notes: `heapUsed right after gc() at the same samples (RSS then ${r.peakRssAfterGcMb} MB): what the run really holds, emulator and bookkeeping included`,
        },
      );
    }
    return rows;
  },
};

export default bench;
