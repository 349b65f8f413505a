import { afterEach, describe, expect, it } from 'vitest';
import type { RequestObservation } from '../../../src/core/status.js';
import { DEMO, demoEmulatorConfig, startEmulator, type Emulator, type FaultInput } from '../../../src/metastudio/emulator/index.js';
import { createSink } from '../../../src/metastudio/index.js';
import type { Sink } from '../../../src/core/sink.js';
import { captureLogger } from '../../helpers/logger.js';
import { ManualClock } from '../../helpers/clock.js';
import { sampleWire, sinkConfig } from '../../helpers/metastudio/fixtures.js';

let emulator: Emulator | undefined;
let sink: Sink | undefined;
afterEach(async () => {
  await sink?.close();
  await emulator?.close();
  sink = emulator = undefined;
});

async function setUp(faults: FaultInput[]) {
  // Whole seconds, so an HTTP-date Retry-After converts exactly.
  const clock = new ManualClock(Math.floor(Date.now() / 1000) * 1000);
  emulator = await startEmulator({ config: demoEmulatorConfig(), clock });
  const cap = captureLogger();
  const observations: RequestObservation[] = [];
  sink = createSink(
    sinkConfig({
      endpoint: emulator.url,
      project_id: DEMO.projectId,
      room_id: DEMO.roomId,
      job_id: DEMO.jobId,
      request_timeout_ms: 1500,
      auth: { type: 'aksk', ak: DEMO.ak, sk: DEMO.sk },
    }),
    { logger: cap.logger, clock, observer: (o) => observations.push(o) },
  );
  await sink.start(new AbortController().signal);
  emulator.script(faults);
  return { emu: emulator, sink, clock, entries: cap.entries, observations };
}

describe('scripted faults are classified for the reporter', () => {
  it('a sequence of statuses, throttling and Retry-After forms', async () => {
    const clock0 = Math.floor(Date.now() / 1000) * 1000;
    const {
      emu,
      sink: s,
      observations,
    } = await setUp([
      { kind: 'status', status: 500 },
      { kind: 'throttle', retry_after: '7' },
      { kind: 'status', status: 503, error_code: 'MSS.00000004', error_msg: 'busy', retry_after: new Date(clock0 + 30_000).toUTCString() },
      { kind: 'status', status: 400, error_code: 'APIGW.0308', error_msg: 'The throttling threshold has been reached' },
      { kind: 'status', status: 400, error_code: 'MSS.00000003', error_msg: 'Invalid parameter' },
    ]);
    const batch = sampleWire().slice(0, 2);
    const results = [];
    for (let i = 0; i < 6; i++) results.push(await s.send(batch));
    const ids = emu
      .requests()
      .filter((r) => r.operation === 'report')
      .map((r) => r.requestId);
    expect(results).toEqual([
      {
        kind: 'retry',
        code: 'metastudio_server_error',
        reason: `report refused: HTTP 500 MSS.00000004: Internal Error (request id ${ids[0]})`,
        requestId: ids[0],
      },
      {
        kind: 'retry',
        code: 'metastudio_throttled',
        retryAfterMs: 7000,
        reason: `report refused: HTTP 429 APIGW.0308: The throttling threshold has been reached: policy user over ratelimit,limit:10,time:1 second (request id ${ids[1]})`,
        requestId: ids[1],
      },
      {
        kind: 'retry',
        code: 'metastudio_server_error',
        retryAfterMs: 30_000,
        reason: `report refused: HTTP 503 MSS.00000004: busy (request id ${ids[2]})`,
        requestId: ids[2],
      },
      {
        kind: 'retry',
        code: 'metastudio_throttled',
        reason: `report refused: HTTP 400 APIGW.0308: The throttling threshold has been reached (request id ${ids[3]})`,
        requestId: ids[3],
      },
      {
        kind: 'rejected',
        code: 'metastudio_rejected',
        reason: `report refused: HTTP 400 MSS.00000003: Invalid parameter (request id ${ids[4]})`,
        requestId: ids[4],
      },
      { kind: 'sent', requestId: ids[5] },
    ]);
    expect(emu.accepted().map((a) => a.event)).toEqual(batch);
    expect(emu.pendingFaults()).toBe(0);
    // The rejected batch made the sink confirm its job is still PROCESSING before answering.
    expect(observations.map((o) => `${o.operation}:${o.status}`)).toEqual([
      'show_job:200',
      'report:500',
      'report:429',
      'report:503',
      'report:400',
      'report:400',
      'show_job:200',
      'report:200',
    ]);
  });

  it('a dropped connection is a transport failure to retry; a timeout is uncertain (the request may have been processed)', async () => {
    const {
      sink: s,
      clock,
      observations,
      entries,
    } = await setUp([{ kind: 'drop' }, { kind: 'delay', latency_ms: 4000 }, { kind: 'delay', latency_ms: 20 }]);
    // The emulator's delay and the request timeout both run on the manual clock: move it until the answer.
    const driven = async <T>(p: Promise<T>): Promise<T> => {
      let done = false;
      void p.finally(() => (done = true));
      while (!done) {
        await new Promise((r) => setTimeout(r, 5));
        await clock.advanceAsync(10);
      }
      return p;
    };
    const batch = sampleWire().slice(0, 1);
    const dropped = await s.send(batch);
    expect(dropped).toMatchObject({ kind: 'retry', code: 'metastudio_network' });
    // The cause in words, not undici's "fetch failed".
    expect((dropped as { reason: string }).reason).toMatch(
      /^report failed: connection (closed by the server \(UND_ERR_SOCKET|reset \(ECONNRESET)/,
    );
    expect(await driven(s.send(batch))).toEqual({ kind: 'uncertain', code: 'metastudio_timeout', reason: 'report timed out' });
    expect(await driven(s.send(batch))).toMatchObject({ kind: 'sent' });
    expect(observations.map((o) => `${o.operation}:${o.status}`)).toEqual([
      'show_job:200',
      'report:network',
      'report:timeout',
      'report:200',
    ]);
    // At debug only: the reporter logs each failure once, with what it does next.
    expect(entries.filter((e) => e.message === 'report failed').map((e) => `${String(e.level)} ${String(e.code)}`)).toEqual([
      'debug metastudio_network',
      'debug metastudio_timeout',
    ]);
    expect(entries.filter((e) => e.level === 'warn' || e.level === 'error')).toEqual([]);
    expect(s.status()).toEqual({ state: 'ready' });
  });

  it('garbage answers get a clear error, never a crash', async () => {
    const { sink: s } = await setUp([
      { kind: 'raw', status: 200, body: '<html><body>Captive portal</body></html>' },
      { kind: 'raw', status: 200, content_type: 'application/json', body: '{"live_event_report_url": "http' },
      { kind: 'raw', status: 200, content_type: 'application/json', body: '' },
      { kind: 'raw', status: 200, content_type: 'application/json', body: '[]' },
      { kind: 'raw', status: 502, body: '<html>Bad Gateway</html>' },
    ]);
    const batch = sampleWire().slice(0, 1);
    const reasons = [];
    for (let i = 0; i < 5; i++) {
      const r = await s.send(batch);
      expect(r.kind).toBe('retry');
      reasons.push(`${(r as { code: string }).code} ${(r as { reason: string }).reason.replace(/ \(request id \w+\)$/, '')}`);
    }
    expect(reasons).toEqual([
      'metastudio_bad_response report: unusable answer (HTTP 200): HTML or XML instead of JSON (text/html, 40 bytes)',
      'metastudio_bad_response report: unusable answer (HTTP 200): body is not valid JSON (application/json, 31 bytes)',
      'metastudio_bad_response report: unusable answer (HTTP 200): empty body (application/json)',
      'metastudio_bad_response report: unusable answer (HTTP 200): the JSON body is not an object',
      'metastudio_server_error report refused: HTTP 502 HTML or XML instead of JSON (text/html, 24 bytes)',
    ]);
    expect(s.status()).toMatchObject({ state: 'failing' });
  });

  it('faults can be scripted over HTTP, and a fault can target another operation', async () => {
    const { emu, clock } = await setUp([]);
    const res = await fetch(`${emu.url}/_emulator/faults`, {
      method: 'POST',
      body: JSON.stringify([{ kind: 'status', status: 500, operation: 'show_job' }]),
    });
    expect(await res.json()).toEqual({ pending: 1 });
    const bad = await fetch(`${emu.url}/_emulator/faults`, { method: 'POST', body: JSON.stringify([{ kind: 'nope' }]) });
    expect(bad.status).toBe(400);
    clock.advance(15_000);
    const until = Date.now() + 5000;
    while (emu.pendingFaults() > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    expect(emu.requests().at(-1)).toMatchObject({ operation: 'show_job', status: 500, fault: true });
  });
});
