import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../../src/core/clock.js';
import type { RequestObservation } from '../../../src/core/status.js';
import { DEMO, demoEmulatorConfig, startEmulator, type Emulator } from '../../../src/metastudio/emulator/index.js';
import { createSink } from '../../../src/metastudio/index.js';
import { captureLogger } from '../../helpers/logger.js';
import { ManualClock } from '../../helpers/clock.js';
import { sampleWire, sinkConfig } from '../../helpers/metastudio/fixtures.js';

const SECRETS = { sk: DEMO.sk, token: 'static-token-abcdef-123456', password: 'Pa55word-very-secret' };

let emulator: Emulator | undefined;
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
  await emulator?.close();
  emulator = undefined;
});

async function start(extra: Record<string, unknown> = {}, clock = systemClock): Promise<Emulator> {
  emulator = await startEmulator({
    config: {
      ...demoEmulatorConfig(),
      tokens: [SECRETS.token],
      iam_users: [{ name: 'ops-user', password: SECRETS.password, domain: 'acme' }],
      ...extra,
    },
    clock,
  });
  return emulator;
}

function sinkFor(
  emu: Emulator,
  auth: Record<string, unknown> | undefined,
  opts: { clock?: ManualClock; extra?: Record<string, unknown> } = {},
) {
  const cap = captureLogger();
  const observations: RequestObservation[] = [];
  const sink = createSink(
    sinkConfig({
      endpoint: emu.url,
      project_id: DEMO.projectId,
      room_id: DEMO.roomId,
      job_id: DEMO.jobId,
      ...(auth ? { auth } : {}),
      ...opts.extra,
    }),
    { logger: cap.logger, clock: opts.clock ?? new ManualClock(Date.now()), observer: (o) => observations.push(o) },
  );
  closers.push(() => sink.close());
  return { sink, entries: cap.entries, observations };
}

function assertNoSecrets(entries: Record<string, unknown>[], secrets: string[]): void {
  const text = JSON.stringify(entries);
  for (const s of secrets) expect(text).not.toContain(s);
}

describe('each auth mode delivers a batch into the emulator', () => {
  it('aksk: signed request accepted, exact wire events, request id logged', async () => {
    const emu = await start();
    const { sink, entries, observations } = sinkFor(
      emu,
      { type: 'aksk', ak: DEMO.ak, sk: DEMO.sk },
      { extra: { no_need_review: true, app_user_id: 'isv-user-1' } },
    );
    await sink.start(new AbortController().signal);
    const events = sampleWire();
    const result = await sink.send(events);
    expect(result.kind).toBe('sent');
    expect(emu.accepted().map((a) => a.event)).toEqual(events);
    expect(emu.accepted().every((a) => a.jobId === DEMO.jobId && a.roomId === DEMO.roomId)).toBe(true);
    const report = emu.requests().find((r) => r.operation === 'report');
    expect(report).toMatchObject({ auth: 'aksk', status: 200 });
    expect(report?.headers['x-project-id']).toBe(DEMO.projectId);
    expect(report?.headers['x-app-userid']).toBe('isv-user-1');
    const requestId = (result as { requestId: string }).requestId;
    expect(requestId).toBe(report?.requestId);
    expect(entries.some((e) => e.requestId === requestId && String(e.message).startsWith('report answered'))).toBe(true);
    expect(observations.map((o) => `${o.operation}:${o.status}`)).toEqual(['show_job:200', 'report:200']);
    assertNoSecrets(entries, [SECRETS.sk]);
  });

  it('token: X-Auth-Token accepted', async () => {
    const emu = await start();
    const { sink, entries } = sinkFor(emu, { type: 'token', token: SECRETS.token });
    await sink.start(new AbortController().signal);
    const events = sampleWire().slice(0, 2);
    expect((await sink.send(events)).kind).toBe('sent');
    expect(emu.accepted().map((a) => a.event)).toEqual(events);
    expect(emu.requests().at(-1)).toMatchObject({ operation: 'report', auth: 'token', status: 200 });
    assertNoSecrets(entries, [SECRETS.token]);
  });

  it('password: IAM login, token cached across requests', async () => {
    const emu = await start();
    const { sink, entries } = sinkFor(emu, {
      type: 'password',
      user: 'ops-user',
      password: SECRETS.password,
      domain: 'acme',
      iam_endpoint: emu.url,
    });
    await sink.start(new AbortController().signal);
    const events = sampleWire();
    expect(await sink.send(events.slice(0, 3))).toMatchObject({ kind: 'sent' });
    expect(await sink.send(events.slice(3))).toMatchObject({ kind: 'sent' });
    expect(emu.accepted().map((a) => a.event)).toEqual(events);
    expect(emu.requests().map((r) => `${r.operation}:${r.auth}:${r.status}`)).toEqual([
      'iam_token:none:201',
      'show_job:token:200',
      'report:token:200',
      'report:token:200',
    ]);
    assertNoSecrets(entries, [SECRETS.password]);
  });

  it('password: renews before expires_at and once on a 401', async () => {
    // One hand-driven clock for both sides, and no job polling in the way of the exact sequence.
    const clock = new ManualClock(Date.now());
    const emu = await start({ token_ttl_ms: 2 * 3600_000 }, clock);
    const { sink, entries } = sinkFor(
      emu,
      { type: 'password', user: 'ops-user', password: SECRETS.password, domain: 'acme', iam_endpoint: emu.url },
      { clock, extra: { job_poll_interval_ms: 86_400_000 } },
    );
    await sink.start(new AbortController().signal);
    const [a, b, c, d] = sampleWire();
    expect((await sink.send([a!])).kind).toBe('sent');
    // Past expires_at minus the renewal margin (1 h): the next request logs in first.
    clock.advance(61 * 60_000);
    expect((await sink.send([b!])).kind).toBe('sent');
    emu.revokeTokens();
    const refused = await sink.send([c!]);
    expect(refused).toMatchObject({ kind: 'reauth', code: 'metastudio_unauthorized' });
    await sink.reauthenticate();
    expect((await sink.send([c!, d!])).kind).toBe('sent');
    expect(emu.requests().map((r) => `${r.operation}:${r.status}`)).toEqual([
      'iam_token:201',
      'show_job:200',
      'report:200',
      'iam_token:201',
      'report:200',
      'report:401',
      'iam_token:201',
      'report:200',
    ]);
    expect(emu.accepted().map((x) => x.event)).toEqual([a, b, c, d]);
    assertNoSecrets(entries, [SECRETS.password]);
  });

  it('password: wrong password is a clear IAM refusal', async () => {
    const emu = await start();
    const { sink, entries } = sinkFor(emu, {
      type: 'password',
      user: 'ops-user',
      password: 'wrong-password-xyz',
      domain: 'acme',
      iam_endpoint: emu.url,
    });
    await sink.start(new AbortController().signal);
    const r = await sink.send(sampleWire().slice(0, 1));
    expect(r).toMatchObject({ kind: 'reauth', code: 'metastudio_unauthorized' });
    expect((r as { reason: string }).reason).toBe(
      `iam_token refused: HTTP 401 The username or password is wrong. (request id ${emu.requests().at(-1)!.requestId})`,
    );
    assertNoSecrets(entries, ['wrong-password-xyz']);
  });

  it('no credentials: only an emulator allowing anonymous requests accepts', async () => {
    const emu = await start({ allow_anonymous: true });
    const { sink } = sinkFor(emu, undefined);
    await sink.start(new AbortController().signal);
    expect((await sink.send(sampleWire().slice(0, 1))).kind).toBe('sent');
    expect(emu.requests().at(-1)).toMatchObject({ auth: 'anonymous', status: 200 });
  });
});

describe('refused credentials', () => {
  it('wrong secret key → 401 APIGW.0301 → reauth, with the server canonical request and no secret in logs', async () => {
    const emu = await start();
    const wrongSk = 'wrong-secret-key-0000000000';
    const { sink, entries } = sinkFor(emu, { type: 'aksk', ak: DEMO.ak, sk: wrongSk });
    await sink.start(new AbortController().signal);
    const r = await sink.send(sampleWire().slice(0, 1));
    expect(r.kind).toBe('reauth');
    expect(r).toMatchObject({ code: 'metastudio_unauthorized' });
    expect((r as { reason: string }).reason).toMatch(
      /^report refused: HTTP 401 APIGW\.0301: Incorrect IAM authentication information: verify aksk signature fail, canonicalRequest: POST\|\/v1\/demo-project\//,
    );
    expect(sink.status()).toMatchObject({ state: 'failing' });
    expect(emu.accepted()).toHaveLength(0);
    assertNoSecrets(entries, [wrongSk, DEMO.sk]);
  });

  it('clock skew over 15 min is reported as such, and reauthentication signs with the server clock', async () => {
    const emuClock = { ...systemClock, now: () => Date.now() + 20 * 60_000 };
    const emu = await start({}, emuClock);
    const { sink, entries } = sinkFor(emu, { type: 'aksk', ak: DEMO.ak, sk: DEMO.sk }, { clock: new ManualClock(Date.now()) });
    await sink.start(new AbortController().signal);
    const r = await sink.send(sampleWire().slice(0, 1));
    expect(r).toMatchObject({ kind: 'reauth', code: 'metastudio_clock_skew' });
    expect((r as { reason: string }).reason).toMatch(/APIGW\.0303.*the local clock is 1[12]\d\d s behind the server/);
    await sink.reauthenticate();
    expect((await sink.send(sampleWire().slice(0, 1))).kind).toBe('sent');
    expect(entries.some((e) => e.code === 'metastudio_clock_skew' && e.level === 'warn')).toBe(true);
  });

  it('a fixed token that expired cannot be renewed: reauth, then a clear warning', async () => {
    const emu = await start();
    const { sink, entries } = sinkFor(emu, { type: 'token', token: 'not-a-known-token-123' });
    await sink.start(new AbortController().signal);
    expect(await sink.send(sampleWire().slice(0, 1))).toMatchObject({ kind: 'reauth', code: 'metastudio_unauthorized' });
    await sink.reauthenticate();
    expect(entries.some((e) => e.code === 'metastudio_token_fixed')).toBe(true);
    assertNoSecrets(entries, ['not-a-known-token-123']);
  });
});

describe('transport', () => {
  it('sends through an injected dispatcher and leaves it open on close', async () => {
    const { Agent } = await import('undici');
    const emu = await start();
    const seen: string[] = [];
    const agent = new Agent();
    const dispatcher = agent.compose((dispatch) => (opts, handler) => {
      seen.push(`${opts.method} ${String(opts.path).split('?')[0]}`);
      return dispatch(opts, handler);
    });
    const sink = createSink(
      sinkConfig({
        endpoint: emu.url,
        project_id: DEMO.projectId,
        room_id: DEMO.roomId,
        job_id: DEMO.jobId,
        auth: { type: 'aksk', ak: DEMO.ak, sk: DEMO.sk },
      }),
      {
        logger: captureLogger().logger,
        clock: new ManualClock(Date.now()),
        dispatcher,
      },
    );
    await sink.start(new AbortController().signal);
    expect((await sink.send(sampleWire().slice(0, 1))).kind).toBe('sent');
    await sink.close();
    expect(seen).toEqual([
      `GET /v1/${DEMO.projectId}/smart-live-rooms/${DEMO.roomId}/smart-live-jobs/${DEMO.jobId}`,
      `POST /v1/${DEMO.projectId}/smart-live-rooms/${DEMO.roomId}/smart-live-jobs/${DEMO.jobId}/live-event-report`,
    ]);
    expect(agent.closed).toBe(false);
    await agent.close();
  });
});
