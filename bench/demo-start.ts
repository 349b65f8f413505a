/**
 * How soon a repeat `npm run demo` shows its first event: the whole command as a user types it
 * (npm, the build freshness check, the daemon's start, the job lookup, the first report), timed
 * from the spawn until the emulator has accepted an event (polled on its page endpoint every
 * 10 ms). One untimed run first builds dist/ if a source is newer, so the timed ones are repeats.
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import { packageRoot } from '../src/core/paths.js';
import type { BenchModule, BenchRow } from './lib/types.js';

const DEFAULTS = { runs: 7, timeoutMs: 30_000, pollMs: 10, targetMs: 2000 } as const;

/** One `npm run demo`: ms from the spawn to the emulator's first accepted event. */
async function firstEvent(): Promise<number> {
  const started = performance.now();
  // Free ports for the emulator and the ops server, so a running demo does not disturb the figure.
  const child = spawn('npm', ['run', 'demo', '--silent', '--', '--port', '0', '--ops-port', '0'], {
    cwd: packageRoot(),
    detached: true,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  let out = '';
  let url: string | undefined;
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
    url ??= /MetaStudio emulator: (http:\/\/\S+?)\/ /.exec(out)?.[1];
  });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`npm run demo exited ${child.exitCode} before an event; output: ${out}`);
      if (performance.now() - started > DEFAULTS.timeoutMs) throw new Error(`no event within ${DEFAULTS.timeoutMs} ms; output: ${out}`);
      if (url) {
        const page = (await fetch(`${url}/_emulator/page?events_after=0&requests_after=0`)
          .then((r) => r.json())
          .catch(() => undefined)) as { accepted?: number } | undefined;
        if ((page?.accepted ?? 0) > 0) return performance.now() - started;
      }
      await new Promise((r) => setTimeout(r, DEFAULTS.pollMs));
    }
  } finally {
    // The whole group: npm, the shell it starts and the demo itself.
    if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
  }
}

const bench: BenchModule = {
  name: 'demo-start',
  async run(): Promise<BenchRow[]> {
    await firstEvent();
    const times: number[] = [];
    for (let i = 0; i < DEFAULTS.runs; i++) times.push(await firstEvent());
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)] ?? NaN;
    return [
      {
        name: 'repeat npm run demo: first event at the emulator (median)',
        value: Math.round(median),
        unit: 'ms',
        target: `≤ ${DEFAULTS.targetMs}`,
        pass: median <= DEFAULTS.targetMs,
        notes: `${DEFAULTS.runs} runs after one untimed (build if stale): min ${Math.round(times[0] ?? NaN)}, max ${Math.round(times.at(-1) ?? NaN)} ms; load average ${os.loadavg()[0]?.toFixed(1)} on ${os.cpus().length} cores`,
      },
    ];
  },
};
export default bench;
