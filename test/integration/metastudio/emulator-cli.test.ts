import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/run-cli.js';
import { waitFor } from '../../helpers/wait.js';

/** Runs `live-bridge emulator ...` in-process, exposing its output while it runs. */
function runEmulator(args: string[], env: NodeJS.ProcessEnv = {}) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
  stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
  const abort = new AbortController();
  const done = runCli(['emulator', ...args], { stdout, stderr, env, signal: abort.signal });
  return { done, stop: () => abort.abort(), out: () => out, err: () => err };
}

describe('live-bridge emulator', () => {
  it('runs the demo world, prints its URL, stops on the signal', async () => {
    const run = runEmulator(['--port', '0']);
    const url = await waitFor(() => /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(run.out())?.[1], 'the URL');
    const res = await fetch(`${url}/v1/demo-project/smart-live-rooms/demo-room/smart-live-jobs`);
    expect(res.status).toBe(401);
    expect(run.out()).toContain('project demo-project; rooms demo-room [demo-job-0001:PROCESSING]');
    run.stop();
    expect(await run.done).toBe(0);
    expect(run.out()).toContain('emulator stopped; it accepted 0 events');
  });

  it('runs config/emulator/rehearsal.yaml with ${ENV} substitution', async () => {
    const run = runEmulator(['--port', '0', '--config', 'config/emulator/rehearsal.yaml'], { EMULATOR_SK: 'from-the-env' });
    const url = await waitFor(() => /listening on (http:\/\/\S+)/.exec(run.out())?.[1], 'the URL');
    const res = await fetch(`${url}/v1/rehearsal-project/smart-live-rooms/shop-main-room/smart-live-jobs?state=PROCESSING`, {
      headers: { 'X-Auth-Token': 'rehearsal-static-token' },
    });
    const body = (await res.json()) as { count: number; smart_live_jobs: { job_id: string }[] };
    expect(body.count).toBe(1);
    expect(body.smart_live_jobs[0]?.job_id).toBe('job-evening');
    run.stop();
    expect(await run.done).toBe(0);
  });

  it('a bad config exits 78 with the problem', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'emu-'));
    const file = path.join(dir, 'bad.yaml');
    writeFileSync(file, 'project_id: p\nrooms: []\nbogus: 1\n');
    const run = runEmulator(['--config', file]);
    expect(await run.done).toBe(78);
    expect(run.err()).toContain('invalid emulator config');
    expect(run.err()).toContain('expected at least one room');
  });

  it('a bad port is a usage error', async () => {
    const run = runEmulator(['--port', 'x']);
    expect(await run.done).toBe(64);
  });
});
