/**
 * What the built daemon says about itself under a supervisor: a port clash is one line and exit
 * 78 (pm2 and systemd do not restart-loop it), the health line, the JSON status endpoint, and
 * stderr in JSON when stdout is.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, expect, test } from 'vitest';
import { built, MAIN, startDaemon, waitFor, type DaemonProcess } from '../../helpers/ops/daemon.js';
import { dryRunConfig } from '../../helpers/ops/stream-config.js';
import { busyPort } from '../../helpers/ports.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
beforeAll(() => {
  expect(built(), 'dist/src/cli/main.js is missing: run `npm run build`').toBe(true);
});

function config(listen: string, logLines: string[] = []): string {
  const { file, cleanup } = dryRunConfig({ stream: 'lines-it', listen, logLines });
  cleanups.push(cleanup);
  return file;
}

function run(file: string, env: Record<string, string> = {}): DaemonProcess {
  const daemon = startDaemon(file, env);
  cleanups.push(async () => {
    if (daemon.child.exitCode === null && daemon.child.signalCode === null) {
      daemon.child.kill('SIGKILL');
      await daemon.exited;
    }
  });
  return daemon;
}

test('a taken ops port: one JSON error line naming the port, nothing on stderr, exit 78, never ready', async () => {
  const other = await busyPort();
  cleanups.push(() => other.release());
  const listen = `127.0.0.1:${other.port}`;
  const daemon = run(config(listen));
  let message: unknown = 'none';
  void daemon.firstMessage.then((m) => (message = m));
  expect((await daemon.exited).code).toBe(78);
  expect(message).toBe('none');
  expect(daemon.stderr()).toBe('');
  // Exactly one line: the error (the stream, and its own warnings, start only once the ops server listens).
  const lines = daemon
    .stdout()
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  expect(lines.map((l) => l.level)).toEqual(['error']);
  expect(lines[0]).toMatchObject({
    level: 'error',
    message: `ops server cannot listen on ${listen}: the port is in use (another stream or a previous instance still stopping?); give each stream its own http.listen port`,
    code: 'http_listen_failed',
    cause: 'EADDRINUSE',
    stream: 'lines-it',
  });
});

test('GET /status: the stream as one JSON document; the health line at the configured interval', async () => {
  const daemon = run(config('127.0.0.1:0', ['status_interval_ms: 1000']));
  const base = String((await daemon.logLine('ops server listening')).url);
  const status = await waitFor('events through the dry run', 15_000, async () => {
    const body = (await (await fetch(`${base}/status`)).json()) as { sent: Record<string, number>; stream: string };
    return Object.values(body.sent).some((n) => n > 0) ? body : undefined;
  });
  expect(status).toMatchObject({
    stream: 'lines-it',
    version: expect.stringMatching(/^\d+\.\d+\.\d+/),
    node: process.version.slice(1),
    sink: { state: 'ready' },
    circuit: 'closed',
    dropped: { policy: expect.any(Number), loss: 0 },
    sources: [{ name: 'sim', platform: 'simulate', room: 'r', state: 'live', reason: null }],
  });
  const health = await daemon.logLine('status');
  expect(health).toMatchObject({ level: 'info', stream: 'lines-it', sources: { sim: 'live' }, sink: 'ready', lost: 0 });
  expect(health.intervalSeconds).toBe(1);
});

test('stderr is JSON when stdout is: a config that does not load, and a crash with its stack', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'live-bridge-lines-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const bad = path.join(dir, 'bad.yaml');
  writeFileSync(bad, 'stream: lines-it\nsources:\n  - platform: simulate\nmetastudio:\n  project_id: p\n  room_id: r\n  jobid: auto\n');
  const daemon = run(bad);
  expect((await daemon.exited).code).toBe(78);
  const lines = daemon.stderr().trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  const line = JSON.parse(lines[0] as string) as { level: string; message: string; code: string; problems: string[] };
  expect(line).toMatchObject({ level: 'error', message: 'invalid config', code: 'config_invalid' });
  expect(line.problems.some((p) => p.startsWith(`${bad}:7:`) && p.includes('metastudio.jobid'))).toBe(true);

  // A bug outside any promise chain, half a second into the run.
  const bug = 'data:text/javascript,setTimeout(function bugInTheBridge(){ throw new Error("boom") }, 500)';
  const child = spawn(process.execPath, ['--import', bug, MAIN, 'run', config('127.0.0.1:0')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  expect(await new Promise<number | null>((r) => child.on('exit', (c) => r(c)))).toBe(1);
  const crash = stderr.trimEnd().split('\n');
  expect(crash).toHaveLength(1);
  expect(JSON.parse(crash[0] as string)).toMatchObject({
    level: 'error',
    message: 'uncaught exception',
    error: { message: 'boom', stack: expect.stringMatching(/^Error: boom\n\s+at (Timeout\.)?bugInTheBridge /) },
  });
});
