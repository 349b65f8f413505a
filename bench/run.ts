/**
 * The benchmark runner: `npm run bench [-- filter...]`. Runs every module of bench/index.ts
 * whose name contains one of the filters (all when none), one after another, prints one table
 * and keeps the results under bench/results/.
 */
import os from 'node:os';
import { BENCHES } from './index.js';
import { saveResults } from './lib/results.js';
import { selectBenches } from './lib/select.js';
import { renderText } from './lib/table.js';
import type { BenchEntry, ModuleResult } from './lib/types.js';

async function runOne(entry: BenchEntry): Promise<ModuleResult> {
  const started = performance.now();
  const ranAt = new Date().toISOString();
  try {
    const module = (await entry.load()).default;
    process.stderr.write(`running ${module.name} ...\n`);
    const loadBefore = os.loadavg()[0]!;
    const measured = await module.run();
    // The machine may be shared: every figure says how loaded it was (1-minute load average, before → after).
    const load = `load ${loadBefore.toFixed(2)} → ${os.loadavg()[0]!.toFixed(2)} on ${os.cpus().length} cores`;
    const rows = measured.map((row) => ({ ...row, notes: row.notes ? `${row.notes}; ${load}` : load }));
    return { name: entry.name, ranAt, durationMs: Math.round(performance.now() - started), rows };
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    return { name: entry.name, ranAt, durationMs: Math.round(performance.now() - started), rows: [], error };
  }
}

async function main(argv: readonly string[]): Promise<number> {
  const selected = selectBenches(BENCHES, argv);
  if (selected.length === 0) {
    process.stderr.write(`no benchmark matches ${argv.join(' ')}; known: ${BENCHES.map((b) => b.name).join(', ')}\n`);
    return 64;
  }
  const results: ModuleResult[] = [];
  for (const entry of selected) results.push(await runOne(entry));
  process.stdout.write(renderText(results) + '\n');
  const files = await saveResults(results, new Date());
  process.stderr.write(`results: ${files.join(', ')}\n`);
  return results.some((r) => r.error !== undefined) ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
