import { afterEach, describe, expect, it } from 'vitest';
import { DEMO, demoEmulatorConfig, startEmulator, type Emulator } from '../../../src/metastudio/emulator/index.js';
import { createSink } from '../../../src/metastudio/index.js';
import type { Sink } from '../../../src/core/sink.js';
import { captureLogger } from '../../helpers/logger.js';
import { ManualClock } from '../../helpers/clock.js';
import { sampleWire, sinkConfig } from '../../helpers/metastudio/fixtures.js';
import { waitFor } from '../../helpers/wait.js';

const POLL_MS = 15_000;
let emulator: Emulator | undefined;
const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const s of stops.splice(0)) await s();
  await emulator?.close();
  emulator = undefined;
});

async function setUp(jobId: string, clock: ManualClock): Promise<{ emu: Emulator; sink: Sink; entries: Record<string, unknown>[] }> {
  const emu = await startEmulator({ config: demoEmulatorConfig(), clock });
  emulator = emu;
  const cap = captureLogger();
  const sink = createSink(
    sinkConfig({
      endpoint: emu.url,
      project_id: DEMO.projectId,
      room_id: DEMO.roomId,
      job_id: jobId,
      job_poll_interval_ms: POLL_MS,
      auth: { type: 'aksk', ak: DEMO.ak, sk: DEMO.sk },
    }),
    { logger: cap.logger, clock },
  );
  const abort = new AbortController();
  stops.push(async () => {
    abort.abort();
    await sink.close();
  });
  await sink.start(abort.signal);
  return { emu, sink, entries: cap.entries };
}

/** Moves time to the next poll and waits until the emulator has answered it. */
async function poll(clock: ManualClock, emu: Emulator): Promise<void> {
  const before = emu.requests().length;
  clock.advance(POLL_MS);
  await waitFor(() => emu.requests().length > before, 'a poll request');
  await new Promise((r) => setTimeout(r, 20));
}

describe('job following', () => {
  it('auto: finds the PROCESSING job, pauses when it ends, switches to the next one', async () => {
    const clock = new ManualClock(Date.now());
    const { emu, sink, entries } = await setUp('auto', clock);
    const [a, b, c] = sampleWire();
    expect(sink.status()).toEqual({ state: 'ready' });
    expect(await sink.send([a!])).toMatchObject({ kind: 'sent' });

    emu.setJobState(DEMO.roomId, DEMO.jobId, 'SUCCEED');
    await poll(clock, emu);
    await waitFor(() => sink.status().state === 'paused', 'paused');
    expect(sink.status()).toEqual({ state: 'paused', reason: `no PROCESSING job in room ${DEMO.roomId}` });
    expect(await sink.send([b!])).toEqual({ kind: 'paused', reason: `no PROCESSING job in room ${DEMO.roomId}` });

    emu.addJob(DEMO.roomId, 'job-0002', 'PROCESSING');
    await poll(clock, emu);
    await waitFor(() => sink.status().state === 'ready', 'ready again');
    expect(await sink.send([b!, c!])).toMatchObject({ kind: 'sent' });
    expect(emu.accepted().map((x) => [x.jobId, x.event])).toEqual([
      [DEMO.jobId, a],
      ['job-0002', b],
      ['job-0002', c],
    ]);
    expect(entries.filter((e) => e.message === 'following job').map((e) => e.job)).toEqual([DEMO.jobId, 'job-0002']);
  });

  it('auto: a report refused because the job just ended pauses instead of rejecting the batch', async () => {
    const clock = new ManualClock(Date.now());
    const { emu, sink } = await setUp('auto', clock);
    emu.setJobState(DEMO.roomId, DEMO.jobId, 'FAILED');
    const r = await sink.send(sampleWire().slice(0, 1));
    expect(r).toEqual({ kind: 'paused', reason: `no PROCESSING job in room ${DEMO.roomId}` });
    expect(emu.requests().map((x) => `${x.operation}:${x.status}`)).toEqual([
      'list_jobs:200',
      'report:400',
      'show_job:200',
      'list_jobs:200',
    ]);
  });

  it('auto: an ended job is dropped immediately when another job is PROCESSING', async () => {
    const clock = new ManualClock(Date.now());
    const { emu, sink, entries } = await setUp('auto', clock);
    emu.addJob(DEMO.roomId, 'job-0003', 'PROCESSING');
    emu.setJobState(DEMO.roomId, DEMO.jobId, 'BLOCKED');
    expect(await sink.send(sampleWire().slice(0, 1))).toEqual({
      kind: 'paused',
      reason: `job ${DEMO.jobId} ended; now following job-0003`,
    });
    expect(await sink.send(sampleWire().slice(0, 1))).toMatchObject({ kind: 'sent' });
    expect(emu.accepted().map((x) => x.jobId)).toEqual(['job-0003']);
    expect(entries.filter((e) => e.message === 'following job').map((e) => e.job)).toEqual([DEMO.jobId, 'job-0003']);
  });

  it('fixed: a job that ends stops reporting with one clear log line', async () => {
    const clock = new ManualClock(Date.now());
    const { emu, sink, entries } = await setUp(DEMO.jobId, clock);
    expect(await sink.send(sampleWire().slice(0, 1))).toMatchObject({ kind: 'sent' });
    emu.setJobState(DEMO.roomId, DEMO.jobId, 'SUCCEED');
    await poll(clock, emu);
    await waitFor(() => sink.status().state === 'stopped', 'stopped');
    const reason = `job ${DEMO.jobId} ended (SUCCEED); reporting stopped: set metastudio.job_id to the new job, or to auto`;
    expect(sink.status()).toEqual({ state: 'stopped', reason });
    expect(await sink.send(sampleWire().slice(0, 1))).toEqual({ kind: 'paused', reason });
    // No more polling once stopped, and exactly one error line.
    const count = emu.requests().length;
    clock.advance(POLL_MS * 3);
    await new Promise((r) => setTimeout(r, 30));
    expect(emu.requests().length).toBe(count);
    expect(entries.filter((e) => e.code === 'metastudio_job_ended')).toEqual([
      expect.objectContaining({ level: 'error', message: reason }),
    ]);
    expect(emu.accepted()).toHaveLength(1);
  });

  it('fixed: a job still WAITING pauses until it is PROCESSING', async () => {
    const clock = new ManualClock(Date.now());
    const emu = await startEmulator({
      config: { ...demoEmulatorConfig(), rooms: [{ room_id: DEMO.roomId, jobs: [{ job_id: 'later', state: 'WAITING' }] }] },
      clock,
    });
    emulator = emu;
    const sink = createSink(
      sinkConfig({
        endpoint: emu.url,
        project_id: DEMO.projectId,
        room_id: DEMO.roomId,
        job_id: 'later',
        job_poll_interval_ms: POLL_MS,
        auth: { type: 'aksk', ak: DEMO.ak, sk: DEMO.sk },
      }),
      { logger: captureLogger().logger, clock },
    );
    const abort = new AbortController();
    stops.push(async () => {
      abort.abort();
      await sink.close();
    });
    await sink.start(abort.signal);
    expect(sink.status()).toEqual({ state: 'paused', reason: 'job later is WAITING, not PROCESSING' });
    emu.setJobState(DEMO.roomId, 'later', 'PROCESSING');
    await poll(clock, emu);
    await waitFor(() => sink.status().state === 'ready', 'ready');
    expect(await sink.send(sampleWire().slice(0, 1))).toMatchObject({ kind: 'sent' });
  });

  it('job states can be changed over HTTP', async () => {
    const clock = new ManualClock(Date.now());
    const { emu, sink } = await setUp(DEMO.jobId, clock);
    const res = await fetch(`${emu.url}/_emulator/jobs/${DEMO.jobId}/state`, {
      method: 'POST',
      body: JSON.stringify({ state: 'BLOCKED' }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ job_id: DEMO.jobId, room_id: DEMO.roomId, state: 'BLOCKED' });
    await poll(clock, emu);
    await waitFor(() => sink.status().state === 'stopped', 'stopped');
    const add = await fetch(`${emu.url}/_emulator/rooms/${DEMO.roomId}/jobs`, { method: 'POST', body: JSON.stringify({ job_id: 'j9' }) });
    expect(add.status).toBe(201);
    const bad = await fetch(`${emu.url}/_emulator/jobs/${DEMO.jobId}/state`, { method: 'POST', body: JSON.stringify({ state: 'DONE' }) });
    expect(bad.status).toBe(400);
    const unknown = await fetch(`${emu.url}/_emulator/jobs/nope/state`, { method: 'POST', body: JSON.stringify({ state: 'FAILED' }) });
    expect(unknown.status).toBe(404);
  });
});

describe('job following with refused credentials', () => {
  it('auto with a wrong key: the sink is failing with the reason, sends pause', async () => {
    const clock = new ManualClock(Date.now());
    emulator = await startEmulator({ config: demoEmulatorConfig(), clock });
    const sink = createSink(
      sinkConfig({
        endpoint: emulator.url,
        project_id: DEMO.projectId,
        room_id: DEMO.roomId,
        auth: { type: 'aksk', ak: DEMO.ak, sk: 'not-the-right-secret' },
      }),
      { logger: captureLogger().logger, clock },
    );
    const abort = new AbortController();
    stops.push(async () => {
      abort.abort();
      await sink.close();
    });
    await sink.start(abort.signal);
    const reason = `cannot list the jobs of room ${DEMO.roomId}: metastudio_unauthorized`;
    expect(sink.status()).toEqual({ state: 'failing', reason });
    expect(await sink.send(sampleWire().slice(0, 1))).toEqual({ kind: 'paused', reason });
    expect(emulator.requests().map((r) => `${r.operation}:${r.status}:${r.errorCode}`)).toEqual(['list_jobs:401:APIGW.0301']);
  });
});

describe('job following after credentials are refused while paused', () => {
  it('auto, password: a 401 on a lookup logs in again, so the next poll finds the new job', async () => {
    const clock = new ManualClock(Date.now());
    const emu = await startEmulator({
      config: { ...demoEmulatorConfig(), iam_users: [{ name: 'ops-user', password: 'Pa55word-very-secret', domain: 'acme' }] },
      clock,
    });
    emulator = emu;
    const sink = createSink(
      sinkConfig({
        endpoint: emu.url,
        project_id: DEMO.projectId,
        room_id: DEMO.roomId,
        job_id: 'auto',
        job_poll_interval_ms: POLL_MS,
        auth: { type: 'password', user: 'ops-user', password: 'Pa55word-very-secret', domain: 'acme', iam_endpoint: emu.url },
      }),
      { logger: captureLogger().logger, clock },
    );
    const abort = new AbortController();
    stops.push(async () => {
      abort.abort();
      await sink.close();
    });
    await sink.start(abort.signal);
    emu.setJobState(DEMO.roomId, DEMO.jobId, 'SUCCEED');
    await poll(clock, emu);
    await waitFor(() => sink.status().state === 'paused', 'paused');
    // While paused no report goes out, so only the lookups can notice the refused token.
    emu.revokeTokens();
    emu.addJob(DEMO.roomId, 'job-0002', 'PROCESSING');
    await poll(clock, emu);
    await waitFor(() => emu.requests().filter((r) => r.operation === 'iam_token').length === 2, 'a new login');
    await poll(clock, emu);
    await waitFor(() => sink.status().state === 'ready', 'ready again');
    expect(emu.requests().map((r) => `${r.operation}:${r.status}`)).toEqual([
      'iam_token:201',
      'list_jobs:200',
      'show_job:200',
      'list_jobs:200',
      'list_jobs:401',
      'iam_token:201',
      'list_jobs:200',
    ]);
    expect(await sink.send(sampleWire().slice(0, 1))).toMatchObject({ kind: 'sent' });
  });
});
