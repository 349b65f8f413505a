import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { expect, test } from 'vitest';

const MAIN = 'dist/src/cli/main.js';

/** Runs the built CLI and collects its output (npm test builds dist/ first). */
function runBuilt(args: string[], timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` (npm test does it first)`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: 'true' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`demo did not stop by itself within ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

test('npm run demo: a simulated room flows through the real pipeline into the emulator and stops cleanly', async () => {
  const r = await runBuilt(['demo', '--port', '0', '--duration', '5'], 30_000);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  const lines = r.stdout.trim().split('\n');
  expect(lines[0]).toMatch(/^MetaStudio emulator: http:\/\/127\.0\.0\.1:\d+\/ {2}\(open it to see what the digital human hears\)$/);
  // Off a TTY the status line is printed every 5 s: the first one, one second in.
  const status = lines.find((l) => l.startsWith('in: '));
  expect(status).toMatch(
    /^in: gifts \d+ subs \d+ follows \d+ comments \d+ joins \d+ likes \d+ viewers \d+ \| sent \d+ \| queued \d+ \| coalesced \d+ \| dropped \d+ \| emulator holds \d+$/,
  );
  const accepted = /^demo stopped; the emulator accepted (\d+) events$/.exec(lines.at(-1) as string);
  expect(accepted).not.toBeNull();
  // 25 messages a second for 5 s: after folding streaks and capping joins, well over a few dozen reach the emulator.
  expect(Number(accepted?.[1])).toBeGreaterThan(30);
});

test('a second demo on a taken default port falls back to a free one', async () => {
  const first = runBuilt(['demo', '--duration', '4'], 30_000);
  await new Promise((r) => setTimeout(r, 1500));
  const second = await runBuilt(['demo', '--duration', '2'], 30_000);
  const one = await first;
  expect(one.code).toBe(0);
  expect(second.code).toBe(0);
  const url = (out: string) => /^MetaStudio emulator: (\S+)/.exec(out)?.[1];
  expect(url(one.stdout)).not.toBe(url(second.stdout));
});
