/**
 * Many streams in one process, end to end through the built daemon (`node dist/src/cli/main.js
 * run a.yaml b.yaml c.yaml`): three fake Douyin rooms, three MetaStudio jobs in one emulator.
 * Each job receives exactly its own stream's comments; one ops server labels every series with
 * its stream and lists every stream in /readyz and /status. Then SIGHUP reloads: a stream whose
 * config changed (its job) restarts into its new job, a file added to a `--config-dir` starts, a
 * bad file is refused with one line, and the unchanged streams are not touched (no second
 * connection to their rooms).
 * Needs the build (`npm run build`; `npm test` runs it first).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { DEMO, demoEmulatorConfig, startEmulator, type Emulator } from '../../../src/metastudio/emulator/index.js';
import { FakeDouyin } from '../../helpers/douyin/fake-douyin.js';
import { WEB_RID } from '../../helpers/douyin/scenario.js';
import { MAIN, ROOT } from '../../helpers/e2e.js';
import { BROADCAST, expectedComments, greetEachConnection, writeStreamConfig } from '../../helpers/fleet.js';
import { waitFor } from '../../helpers/wait.js';

const undo: (() => unknown)[] = [];
afterEach(async () => {
  for (const step of undo.splice(0).reverse()) await step();
});

const bodies = (emulator: Emulator, job: string) =>
  emulator
    .accepted()
    .filter((a) => a.jobId === job)
    .map((a) => a.event);

/** The JSON log lines with this message. */
const lines = (out: string, message: string) =>
  out
    .split('\n')
    .filter((l) => l.startsWith('{') && l.includes(`"message":"${message}"`))
    .map((l) => JSON.parse(l) as Record<string, unknown>);

test('three streams into three jobs, exact bodies per job, one ops server; a SIGHUP restarts the changed stream alone', async () => {
  expect(existsSync(MAIN), `${MAIN} is missing: run npm run build first`).toBe(true);
  const emulator = await startEmulator({ config: demoEmulatorConfig() });
  undo.push(() => emulator.close());
  for (const job of ['job-a', 'job-b', 'job-b2', 'job-c']) emulator.addJob(DEMO.roomId, job, 'PROCESSING');
  const dir = await mkdtemp(join(tmpdir(), 'fleet-e2e-'));
  undo.push(() => rm(dir, { recursive: true, force: true }));

  const names = ['a', 'b', 'c'] as const;
  const fakes = Object.fromEntries(
    await Promise.all(names.map(async (n) => [n, await FakeDouyin.start({ webRid: WEB_RID, broadcast: BROADCAST })] as const)),
  ) as Record<(typeof names)[number], FakeDouyin>;
  for (const fake of Object.values(fakes)) undo.push(() => fake.close());
  const sent = Object.fromEntries(names.map((n) => [n, [] as { t: number; text: string }[]])) as Record<
    (typeof names)[number],
    { t: number; text: string }[]
  >;
  for (const n of names) greetEachConnection(fakes[n], n, sent[n]);
  const files = await Promise.all(
    (['a', 'b', 'c'] as const).map((n) => writeStreamConfig(dir, n, { fake: fakes[n], emulatorUrl: emulator.url, job: `job-${n}` })),
  );

  let out = '';
  const child = spawn(process.execPath, [MAIN, 'run', ...files], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HW_AK: DEMO.ak, HW_SK: DEMO.sk },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (out += c.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  undo.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });

  await waitFor(
    () => ['a', 'b', 'c'].every((n) => bodies(emulator, `job-${n}`).length >= 2),
    () =>
      `two comments in each of job-a, job-b, job-c (got ${JSON.stringify(emulator.accepted().map((a) => [a.jobId, a.event.content]))}); log: ${out.slice(-3000)}`,
    20_000,
  );
  await new Promise((r) => setTimeout(r, 1000));
  for (const n of ['a', 'b', 'c'] as const) expect(bodies(emulator, `job-${n}`)).toEqual(expectedComments(sent[n]));
  expect(emulator.accepted()).toHaveLength(6);

  // One ops server for all three.
  const url = String(lines(out, 'ops server listening')[0]?.url);
  const metrics = await (await fetch(`${url}/metrics`)).text();
  for (const n of ['a', 'b', 'c']) expect(metrics).toContain(`live_bridge_events_sent_total{type="comment",stream="${n}"} 2`);
  expect(metrics).toContain('live_bridge_streams{state="running"} 3');
  expect(metrics.match(/^process_resident_memory_bytes /gm)).toHaveLength(1);
  const ready = (await (await fetch(`${url}/readyz`)).json()) as { ready: boolean; streams: { stream: string; ready: boolean }[] };
  expect(ready.ready).toBe(true);
  expect(ready.streams.map((s) => [s.stream, s.ready])).toEqual([
    ['a', true],
    ['b', true],
    ['c', true],
  ]);
  const status = (await (await fetch(`${url}/status`)).json()) as { streams: { stream: string; sent: { comment: number } }[] };
  expect(status.streams.map((s) => [s.stream, s.sent.comment])).toEqual([
    ['a', 2],
    ['b', 2],
    ['c', 2],
  ]);

  // Reload: b moves to another job; a and c are left as they are.
  await writeFile(files[1] as string, (await readFile(files[1] as string, 'utf8')).replace('job_id: job-b', 'job_id: job-b2'));
  child.kill('SIGHUP');
  await waitFor(
    () => lines(out, 'streams reloaded').length === 1,
    () => `a reload line; log: ${out.slice(-3000)}`,
    10_000,
  );
  expect(lines(out, 'streams reloaded')[0]).toMatchObject({ added: [], removed: [], restarted: ['b'], unchanged: ['a', 'c'], failed: [] });
  await waitFor(
    () => bodies(emulator, 'job-b2').length >= 2,
    () => `b's comments in job-b2; log: ${out.slice(-3000)}`,
    20_000,
  );
  expect(child.kill('SIGTERM')).toBe(true);
  expect(await exited).toBe(0);
  expect(bodies(emulator, 'job-b2')).toEqual(expectedComments(sent.b.slice(2)));
  expect(fakes.a.connections).toHaveLength(1);
  expect(fakes.c.connections).toHaveLength(1);
  expect(fakes.b.connections).toHaveLength(2);
});

test('run --config-dir: a SIGHUP adds the new file and restarts the changed one; a bad file is refused with one line and the rest run', async () => {
  expect(existsSync(MAIN), `${MAIN} is missing: run npm run build first`).toBe(true);
  const emulator = await startEmulator({ config: demoEmulatorConfig() });
  undo.push(() => emulator.close());
  for (const job of ['job-a', 'job-b', 'job-b2', 'job-d']) emulator.addJob(DEMO.roomId, job, 'PROCESSING');
  const dir = await mkdtemp(join(tmpdir(), 'fleet-dir-'));
  undo.push(() => rm(dir, { recursive: true, force: true }));
  const configs = join(dir, 'config');
  await mkdir(configs);

  const names = ['a', 'b', 'd'] as const;
  const fakes = {} as Record<(typeof names)[number], FakeDouyin>;
  const sent = { a: [], b: [], d: [] } as Record<(typeof names)[number], { t: number; text: string }[]>;
  for (const n of names) {
    fakes[n] = await FakeDouyin.start({ webRid: WEB_RID, broadcast: BROADCAST });
    undo.push(() => fakes[n].close());
    greetEachConnection(fakes[n], n, sent[n]);
  }
  await writeStreamConfig(configs, 'a', { fake: fakes.a, emulatorUrl: emulator.url, job: 'job-a' });
  const fileB = await writeStreamConfig(configs, 'b', { fake: fakes.b, emulatorUrl: emulator.url, job: 'job-b' });
  await writeFile(join(configs, 'broken.yaml'), 'stream: broken\nsources: []\n');

  let out = '';
  let err = '';
  const child = spawn(process.execPath, [MAIN, 'run', '--config-dir', configs], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HW_AK: DEMO.ak, HW_SK: DEMO.sk },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  undo.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  await waitFor(
    () => bodies(emulator, 'job-a').length >= 2 && bodies(emulator, 'job-b').length >= 2,
    () => `a's and b's comments; log: ${out.slice(-3000)} ${err}`,
    20_000,
  );
  // stderr is a pipe (JSON): exactly one line for the bad file, naming it.
  const refused = err
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  expect(refused).toEqual([
    {
      level: 'error',
      message: 'stream config refused (not started)',
      code: 'config_invalid',
      file: join(configs, 'broken.yaml'),
      problems: [
        `${join(configs, 'broken.yaml')}:2:10: sources: expected at least one source`,
        `${join(configs, 'broken.yaml')}:1:1: metastudio: invalid input: expected object, received undefined`,
      ],
      timestamp: expect.any(String),
    },
  ]);

  await writeFile(fileB, (await readFile(fileB, 'utf8')).replace('job_id: job-b', 'job_id: job-b2'));
  await writeStreamConfig(configs, 'd', { fake: fakes.d, emulatorUrl: emulator.url, job: 'job-d' });
  child.kill('SIGHUP');
  await waitFor(
    () => bodies(emulator, 'job-b2').length >= 2 && bodies(emulator, 'job-d').length >= 2,
    () => `b's comments in job-b2 and d's in job-d; log: ${out.slice(-3000)}`,
    20_000,
  );
  await new Promise((r) => setTimeout(r, 1000));
  expect(lines(out, 'streams reloaded')[0]).toMatchObject({ added: ['d'], removed: [], restarted: ['b'], unchanged: ['a'], failed: [] });
  child.kill('SIGTERM');
  expect(await exited).toBe(0);
  expect(bodies(emulator, 'job-a')).toEqual(expectedComments(sent.a));
  expect(bodies(emulator, 'job-b')).toEqual(expectedComments(sent.b.slice(0, 2)));
  expect(bodies(emulator, 'job-b2')).toEqual(expectedComments(sent.b.slice(2)));
  expect(bodies(emulator, 'job-d')).toEqual(expectedComments(sent.d));
  expect(fakes.a.connections).toHaveLength(1);
  expect(fakes.b.connections).toHaveLength(2);
  expect(fakes.d.connections).toHaveLength(1);
});
