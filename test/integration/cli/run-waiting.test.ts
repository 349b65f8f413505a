import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from 'vitest';
import { refusedPort } from '../../helpers/ports.js';

const MAIN = 'dist/src/cli/main.js';

test('run stays up while its only source waits to retry, with no HTTP server, reloads on SIGHUP without touching the unchanged stream, and stops on SIGTERM', async () => {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` (npm test does it first)`);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lb-wait-'));
  const port = await refusedPort();
  const file = path.join(dir, 'wait.yaml');
  await writeFile(
    file,
    [
      'stream: waiting',
      'sources:',
      '  - platform: douyin',
      '    room: "646454278948"',
      '    reconnect_base_ms: 5000',
      '    urls:',
      `      live_page: http://127.0.0.1:${port}/`,
      `      web_enter: http://127.0.0.1:${port}/webcast/room/web/enter/`,
      `      im_fetch: http://127.0.0.1:${port}/webcast/im/fetch/`,
      `      gift_list: http://127.0.0.1:${port}/webcast/gift/list/`,
      `      websocket: ws://127.0.0.1:${port}/webcast/im/push/v2/`,
      'metastudio:',
      '  endpoint: http://127.0.0.1:9',
      '  project_id: p',
      '  room_id: r',
      '  job_id: j',
      '  dry_run: true',
      'http:',
      '  listen: false',
      `state_dir: ${dir}/state`,
      'log:',
      '  format: json',
    ].join('\n'),
  );
  const child = spawn(process.execPath, [MAIN, 'run', file], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  // Wait until the source has failed once and is waiting for its next attempt.
  for (let i = 0; i < 100 && !/"message":"source (error|offline|blocked)"/.test(stdout); i++) await new Promise((r) => setTimeout(r, 100));
  expect(stdout).toMatch(/"message":"source (error|offline|blocked)"/);
  // SIGHUP reloads the config: unchanged, so the stream is left alone, and the daemon keeps running.
  child.kill('SIGHUP');
  for (let i = 0; i < 100 && !stdout.includes('"message":"streams reloaded"'); i++) await new Promise((r) => setTimeout(r, 100));
  expect(child.exitCode).toBeNull();
  const reloaded = stdout.split('\n').find((l) => l.includes('"message":"streams reloaded"'));
  expect(JSON.parse(reloaded ?? '{}')).toMatchObject({ unchanged: ['waiting'], added: [], removed: [], restarted: [], failed: [] });
  // stdout is JSON (a pipe, as under pm2), so is stderr.
  expect(stderr.endsWith('\n')).toBe(true);
  expect(
    stderr
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>),
  ).toEqual([{ level: 'info', message: 'SIGHUP received, reloading the stream configs', signal: 'SIGHUP', timestamp: expect.any(String) }]);
  child.kill('SIGTERM');
  expect(await exited).toBe(0);
  expect(stdout).toContain('"message":"bridge stopped"');
});

test('an uncaught error is written with its stack and exits 1 so the supervisor restarts', async () => {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` (npm test does it first)`);
  // A bug outside any promise chain, half a second into a demo run.
  const bug = 'data:text/javascript,setTimeout(function bugInTheBridge(){ throw new Error("boom") }, 500)';
  const child = spawn(process.execPath, ['--import', bug, MAIN, 'demo', '--port', '0', '--ops-port', '0', '--duration', '20'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
  expect(code).toBe(1);
  expect(stderr).toMatch(/^live-bridge: uncaught exception: Error: boom\n\s+at (Timeout\.)?bugInTheBridge /);
});
