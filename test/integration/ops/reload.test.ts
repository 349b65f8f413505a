/**
 * scripts/reload.mjs (`npm run reload`) with a stand-in pm2 that records what it is asked to
 * do, and stand-in ops servers for the streams' /readyz: every config is checked before pm2 is
 * called; apps are reloaded one at a time, each ready before the next; an app that does not
 * become ready stops the rollout.
 */
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, expect, test } from 'vitest';
import { built } from '../../helpers/ops/daemon.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const SCRIPT = path.join(ROOT, 'scripts/reload.mjs');

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
beforeAll(() => {
  expect(built(), 'dist/src/cli/main.js is missing: run `npm run build`').toBe(true);
});

function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'live-bridge-reload-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A stand-in ops server whose /readyz answers `status`. */
async function opsServer(status: number): Promise<number> {
  const server = http.createServer((_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ready: status === 200, reasons: status === 200 ? [] : ['sink failing: MetaStudio answered 401'] }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
  return (server.address() as AddressInfo).port;
}

/** A pm2 that appends each call's arguments to a log. */
function fakePm2(dir: string): { bin: string; calls(): string[][] } {
  const log = path.join(dir, 'pm2.log');
  const bin = path.join(dir, 'pm2');
  writeFileSync(
    bin,
    `#!${process.execPath}\nrequire('node:fs').appendFileSync(${JSON.stringify(log)}, JSON.stringify(process.argv.slice(2)) + '\\n');\n`,
  );
  chmodSync(bin, 0o755);
  return {
    bin,
    calls: () =>
      existsSync(log)
        ? readFileSync(log, 'utf8')
            .trim()
            .split('\n')
            .filter(Boolean)
            .map((l) => JSON.parse(l) as string[])
        : [],
  };
}

function streamConfig(stream: string, port: number, secret: string): string {
  return `stream: ${stream}
sources:
  - platform: simulate
    room: r
metastudio:
  project_id: p
  room_id: r
  job_id: j
  auth:
    type: token
    token: \${${secret}}
http:
  listen: 127.0.0.1:${port}
`;
}

function run(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [SCRIPT, ...args], { env: { PATH: process.env.PATH ?? '', ...env } }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

async function world(statuses: number[]) {
  const configs = tempDir();
  const envDir = tempDir();
  const bin = tempDir();
  const names = ['room-a', 'room-b', 'room-c'].slice(0, statuses.length);
  for (const [i, name] of names.entries()) {
    writeFileSync(path.join(configs, `${name}.yaml`), streamConfig(name, await opsServer(statuses[i] as number), 'STREAM_TOKEN'));
    writeFileSync(path.join(envDir, `${name}.env`), `STREAM_TOKEN=token-of-${name}\n`);
  }
  const pm2 = fakePm2(bin);
  const env = { LIVE_BRIDGE_CONFIG_DIR: configs, LIVE_BRIDGE_ENV_DIR: envDir, LIVE_BRIDGE_STATE_ROOT: tempDir(), PM2: pm2.bin };
  return { configs, envDir, pm2, env };
}

test('checks every config first, then reloads one app at a time; a stream that is not ready stops the rollout', async () => {
  const w = await world([200, 503, 200]);
  const r = await run(['--pause-ms', '50', '--ready-timeout-ms', '1200'], w.env);
  expect(r.code).toBe(1);
  expect(r.stdout.split('\n')).toEqual([
    `check live-bridge-room-a: ${path.join(w.configs, 'room-a.yaml')} ok`,
    `check live-bridge-room-b: ${path.join(w.configs, 'room-b.yaml')} ok`,
    `check live-bridge-room-c: ${path.join(w.configs, 'room-c.yaml')} ok`,
    'reload live-bridge-room-a (1/3)',
    'live-bridge-room-a ready',
    'reload live-bridge-room-b (2/3)',
    '',
  ]);
  expect(r.stderr).toMatch(
    /^reload: live-bridge-room-b is not ready after 1200 ms \(http:\/\/127\.0\.0\.1:\d+\/readyz: sink failing: MetaStudio answered 401\); stopping here; not reloaded: live-bridge-room-c\n$/,
  );
  const eco = path.join(path.resolve(path.dirname(SCRIPT), '..'), 'ecosystem.config.js');
  expect(w.pm2.calls()).toEqual([
    ['reload', eco, '--only', 'live-bridge-room-a'],
    ['reload', eco, '--only', 'live-bridge-room-b'],
  ]);
});

test('one config failing check: nothing is reloaded, every problem is printed, exit 78', async () => {
  const w = await world([200, 200]);
  // room-b's env file lacks its token: the app would start without it.
  writeFileSync(path.join(w.envDir, 'room-b.env'), 'SOMETHING_ELSE=1\n');
  const r = await run([], w.env);
  expect(r.code).toBe(78);
  expect(r.stdout).toBe(`check live-bridge-room-a: ${path.join(w.configs, 'room-a.yaml')} ok\n`);
  expect(r.stderr).toContain('reload: check live-bridge-room-b failed:\n');
  expect(r.stderr).toContain('STREAM_TOKEN');
  expect(r.stderr.trimEnd().split('\n').at(-1)).toBe('reload: nothing reloaded: 1 of 2 config(s) fail check');
  expect(w.pm2.calls()).toEqual([]);
});

test('all ready: every app reloaded in order, --only narrows it; the ecosystem errors come through', async () => {
  const w = await world([200, 200]);
  const all = await run(['--pause-ms', '0', '--update-env'], w.env);
  expect(all.code).toBe(0);
  expect(all.stdout.trimEnd().split('\n').at(-1)).toBe('reloaded 2 app(s)');
  expect(w.pm2.calls().map((c) => c.slice(2))).toEqual([
    ['--only', 'live-bridge-room-a', '--update-env'],
    ['--only', 'live-bridge-room-b', '--update-env'],
  ]);
  const one = await run(['--only', 'live-bridge-room-b'], w.env);
  expect(one.code).toBe(0);
  expect(w.pm2.calls().at(-1)?.slice(2)).toEqual(['--only', 'live-bridge-room-b']);

  const empty = await run([], { ...w.env, LIVE_BRIDGE_CONFIG_DIR: tempDir() });
  expect(empty.code).toBe(1);
  expect(empty.stderr).toMatch(/^reload: ecosystem.config.js: no stream config in /);
});
