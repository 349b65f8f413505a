/**
 * Signals as a supervisor or a terminal sends them, to the built CLI: the first SIGINT/SIGTERM
 * stops cleanly (exit 0); a second one during a slow flush exits at once (143 for SIGTERM).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, expect, test } from 'vitest';
import { built, MAIN, startDaemon, waitFor } from '../../helpers/ops/daemon.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

beforeAll(() => {
  expect(built(), 'dist/src/cli/main.js is missing: run `npm run build`').toBe(true);
});

test('demo: one SIGINT stops it cleanly with exit 0', async () => {
  const child = spawn(process.execPath, [MAIN, 'demo', '--port', '0', '--ops-port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  cleanups.push(() => void child.kill('SIGKILL'));
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await waitFor('the status line', 15_000, () => (/^in \d+/m.test(stdout) ? true : undefined));
  child.kill('SIGINT');
  expect(await exited).toBe(0);
  expect(stderr).toBe('live-bridge: SIGINT received, stopping (send it again to exit at once)\n');
  expect(stdout.trimEnd().split('\n').at(-1)).toMatch(/^demo stopped; the emulator accepted \d+ events$/);
});

test('run: a second SIGTERM during a flush that cannot finish exits at once with 143', async () => {
  // MetaStudio that takes every report and never answers: the shutdown flush would wait its full deadline.
  const held: http.ServerResponse[] = [];
  const server = http.createServer((_req, res) => void held.push(res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  const dir = mkdtempSync(path.join(tmpdir(), 'live-bridge-signals-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'stream.yaml');
  writeFileSync(
    file,
    `stream: signals-it
sources:
  - platform: simulate
    room: r
    rate_per_second: 20
metastudio:
  endpoint: http://127.0.0.1:${(server.address() as AddressInfo).port}
  project_id: p
  room_id: r
  job_id: job-1
  request_timeout_ms: 60000
  auth:
    type: token
    token: \${IT_TOKEN}
reporter:
  shutdown_flush_ms: 60000
http:
  listen: 127.0.0.1:0
log:
  format: json
state_dir: ${path.join(dir, 'state')}
`,
  );
  const daemon = startDaemon(file, { IT_TOKEN: 'it-token-123456' });
  cleanups.push(async () => {
    if (daemon.child.exitCode === null && daemon.child.signalCode === null) {
      daemon.child.kill('SIGKILL');
      await daemon.exited;
    }
  });
  await waitFor('a report request held by the server', 15_000, () => (held.length > 0 ? true : undefined));
  daemon.child.kill('SIGTERM');
  await waitFor('the first signal to be taken', 15_000, () => (daemon.stderr().includes('SIGTERM received') ? true : undefined));
  daemon.child.kill('SIGTERM');
  expect(await daemon.exited).toEqual({ code: 143, signal: null });
  // Its stdout carries JSON log lines, so its stderr does too: one JSON object per line.
  const lines = daemon.stderr().trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(JSON.parse(lines[0] as string)).toEqual({
    level: 'info',
    message: 'SIGTERM received, stopping (send it again to exit at once)',
    signal: 'SIGTERM',
    timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
  });
});
