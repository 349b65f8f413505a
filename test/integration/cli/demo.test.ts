import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterEach, expect, test } from 'vitest';
import { busyPort } from '../../helpers/ports.js';

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

const releases: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const r of releases.splice(0)) await r();
});

/** A port some other program holds. */
async function takenPort(): Promise<number> {
  const held = await busyPort();
  releases.push(held.release);
  return held.port;
}

test('npm run demo: a simulated room flows through the real pipeline into the emulator and stops cleanly', async () => {
  const r = await runBuilt(['demo', '--port', '0', '--ops-port', '0', '--duration', '5'], 30_000);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  const lines = r.stdout.trim().split('\n');
  expect(lines[0]).toMatch(/^MetaStudio emulator: http:\/\/127\.0\.0\.1:\d+\/ {2}\(open it to see what the digital human hears\)$/);
  expect(lines[1]).toMatch(
    /^ops server: http:\/\/127\.0\.0\.1:\d+\/status {2}\(\/metrics, \/readyz; live view: live-bridge top --url http:\/\/127\.0\.0\.1:\d+\)$/,
  );
  // Off a TTY the whole status line is printed every 5 s: the first one, one second in.
  const status = lines.find((l) => l.startsWith('in '));
  expect(status).toMatch(
    /^in \d+ \[gifts \d+ subs \d+ follows \d+ comments \d+ joins \d+ likes \d+ viewers \d+\] \| sent \d+ \| queued \d+ \| lost \d+ \| dropped \d+ by policy \| folded \d+ \| emulator \d+$/,
  );
  const accepted = /^demo stopped; the emulator accepted (\d+) events$/.exec(lines.at(-1) as string);
  expect(accepted).not.toBeNull();
  // 25 messages a second for 5 s: after folding streaks and capping joins, well over a few dozen reach the emulator.
  expect(Number(accepted?.[1])).toBeGreaterThan(30);
});

test('busy emulator and ops ports: the demo takes free ones and says which ports were busy', async () => {
  const emulatorPort = await takenPort();
  const opsPort = await takenPort();
  const r = await runBuilt(['demo', '--port', String(emulatorPort), '--ops-port', String(opsPort), '--duration', '2'], 30_000);
  expect(r.code).toBe(0);
  const lines = r.stdout.split('\n');
  const emu = new RegExp(`^MetaStudio emulator: http://127\\.0\\.0\\.1:(\\d+)/  \\(port ${emulatorPort} is busy; open it`).exec(
    lines[0] ?? '',
  );
  expect(emu, lines[0]).not.toBeNull();
  expect(Number(emu?.[1])).not.toBe(emulatorPort);
  const ops = new RegExp(`^ops server: http://127\\.0\\.0\\.1:(\\d+)/status  \\(127\\.0\\.0\\.1:${opsPort} is busy; /metrics`).exec(
    lines[1] ?? '',
  );
  expect(ops, lines[1]).not.toBeNull();
  expect(Number(ops?.[1])).not.toBe(opsPort);
});
