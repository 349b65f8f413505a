import { afterEach, describe, expect, it } from 'vitest';
import { DEMO, demoEmulatorConfig, startEmulator, type Emulator } from '../../../src/metastudio/emulator/index.js';
import { createSink } from '../../../src/metastudio/index.js';
import { captureLogger } from '../../helpers/logger.js';
import { ManualClock } from '../../helpers/clock.js';
import { sampleWire, sinkConfig } from '../../helpers/metastudio/fixtures.js';

let emulator: Emulator | undefined;
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
  await emulator?.close();
  emulator = undefined;
});

function sinkFor(emu: Emulator, url: string, refresh?: Record<string, unknown>, clock = new ManualClock(Date.now())) {
  const cap = captureLogger();
  const sink = createSink(
    sinkConfig({
      endpoint: emu.url,
      project_id: DEMO.projectId,
      room_id: DEMO.roomId,
      auth: { type: 'report_url', url, ...(refresh ? { refresh } : {}) },
    }),
    { logger: cap.logger, clock },
  );
  closers.push(() => sink.close());
  return { sink, entries: cap.entries, clock };
}

const keyOf = (url: string) => new URL(url).searchParams.get('auth_key') as string;
const summary = (emu: Emulator) =>
  emu.requests().map((r) => `${r.operation}:${r.auth}:${r.status}${r.query.refresh_url ? ':refresh' : ''}`);

function assertUrlNeverLogged(entries: Record<string, unknown>[], urls: string[]): void {
  const text = JSON.stringify(entries);
  for (const u of urls) {
    expect(text).not.toContain(keyOf(u));
    expect(text).not.toContain(u);
  }
}

describe('report_url mode', () => {
  it('posts to the pre-signed URL as is, without other credentials', async () => {
    emulator = await startEmulator({ config: demoEmulatorConfig() });
    const url = emulator.mintReportUrl(DEMO.roomId, DEMO.jobId);
    const { sink, entries } = sinkFor(emulator, url);
    await sink.start(new AbortController().signal);
    const events = sampleWire();
    expect((await sink.send(events)).kind).toBe('sent');
    expect(emulator.accepted().map((a) => a.event)).toEqual(events);
    expect(summary(emulator)).toEqual(['report:report_url:200']);
    expect(emulator.requests()[0]?.query.auth_key).toBe('***');
    assertUrlNeverLogged(entries, [url]);
  });

  it('refreshes with refresh_url=true under AK/SK before expires_time and then uses the new URL', async () => {
    emulator = await startEmulator({ config: demoEmulatorConfig() });
    // Expires within the refresh margin (10 min): the first send refreshes.
    const url = emulator.mintReportUrl(DEMO.roomId, DEMO.jobId, { ttlMs: 5 * 60_000 });
    const { sink, entries } = sinkFor(emulator, url, { type: 'aksk', ak: DEMO.ak, sk: DEMO.sk });
    await sink.start(new AbortController().signal);
    const [a, b] = sampleWire();
    expect((await sink.send([a!])).kind).toBe('sent');
    expect((await sink.send([b!])).kind).toBe('sent');
    expect(summary(emulator)).toEqual(['show_job:aksk:200', 'report:aksk:200:refresh', 'report:report_url:200']);
    const [, refresh, second] = emulator.requests();
    expect(refresh?.query).toEqual({ refresh_url: 'true' });
    expect(Number(second?.query.expires_time)).toBeGreaterThan(Number(new URL(url).searchParams.get('expires_time')));
    expect(emulator.accepted().map((x) => x.event)).toEqual([a, b]);
    expect(entries.some((e) => e.message === 'report URL refreshed')).toBe(true);
    assertUrlNeverLogged(entries, [url]);
  });

  it('refuses a refreshed URL whose host is not the configured endpoint once, keeps the old one, and backs off refreshing', async () => {
    emulator = await startEmulator({
      config: {
        ...demoEmulatorConfig(),
        report_url: { key: 'emulator-only-report-url-key', ttl_ms: 3600_000, public_base: 'http://attacker.example:8080' },
      },
    });
    const url = emulator.mintReportUrl(DEMO.roomId, DEMO.jobId, { ttlMs: 5 * 60_000, base: emulator.url });
    const { sink, entries, clock } = sinkFor(emulator, url, { type: 'aksk', ak: DEMO.ak, sk: DEMO.sk });
    await sink.start(new AbortController().signal);
    const [a, b, c, d, e] = sampleWire();
    expect((await sink.send([a!])).kind).toBe('sent');
    // The next reports use the kept URL: no refresh for a minute, then one, then none for two.
    expect((await sink.send([b!])).kind).toBe('sent');
    clock.advance(61_000);
    expect((await sink.send([c!])).kind).toBe('sent');
    expect((await sink.send([d!])).kind).toBe('sent');
    clock.advance(61_000);
    expect((await sink.send([e!])).kind).toBe('sent');
    // Everything went to the emulator, never to the foreign host (job lookups left out).
    expect(summary(emulator).filter((r) => r.startsWith('report'))).toEqual([
      'report:aksk:200:refresh',
      'report:report_url:200',
      'report:aksk:200:refresh',
      'report:report_url:200',
      'report:report_url:200',
    ]);
    expect(emulator.accepted().map((x) => x.event)).toEqual([a, b, c, d, e]);
    // Said once, not once per report.
    const refusals = entries.filter((e) => e.code === 'metastudio_foreign_report_url');
    expect(refusals.map((r) => r.level)).toEqual(['warn', 'debug']);
    expect(refusals[0]).toMatchObject({ host: 'attacker.example:8080' });
    assertUrlNeverLogged(entries, [url]);
  });

  it('a refused refresh does not stop reports: the still-valid URL carries them until it expires', async () => {
    emulator = await startEmulator({ config: demoEmulatorConfig() });
    const url = emulator.mintReportUrl(DEMO.roomId, DEMO.jobId, { ttlMs: 5 * 60_000 });
    // Refresh credentials that MetaStudio refuses (a rotated key).
    const { sink } = sinkFor(emulator, url, { type: 'aksk', ak: DEMO.ak, sk: 'a-rotated-secret-key' });
    await sink.start(new AbortController().signal);
    const [a, b] = sampleWire();
    expect((await sink.send([a!])).kind).toBe('reauth');
    expect((await sink.send([b!])).kind).toBe('sent');
    // The emulator labels a request whose signature does not verify as `none`.
    expect(summary(emulator)).toEqual(['show_job:none:401', 'report:none:401:refresh', 'report:report_url:200']);
    expect(emulator.accepted().map((x) => x.event)).toEqual([b]);
  });

  it('an expired URL without refresh credentials is refused (reauth) and says what to do', async () => {
    emulator = await startEmulator({ config: demoEmulatorConfig() });
    const url = emulator.mintReportUrl(DEMO.roomId, DEMO.jobId, { ttlMs: -1000 });
    const { sink, entries } = sinkFor(emulator, url);
    await sink.start(new AbortController().signal);
    const r = await sink.send(sampleWire().slice(0, 1));
    expect(r).toMatchObject({ kind: 'reauth', code: 'metastudio_unauthorized' });
    expect((r as { reason: string }).reason).toContain('MSS.00000001: Unauthorized: auth_key has expired');
    await sink.reauthenticate();
    expect(entries.some((e) => e.code === 'metastudio_report_url_refused' && e.level === 'error')).toBe(true);
    assertUrlNeverLogged(entries, [url]);
  });

  it('a tampered auth_key is refused', async () => {
    emulator = await startEmulator({ config: demoEmulatorConfig() });
    const good = new URL(emulator.mintReportUrl(DEMO.roomId, DEMO.jobId));
    good.searchParams.set('auth_key', '0'.repeat(64));
    const { sink } = sinkFor(emulator, good.href);
    await sink.start(new AbortController().signal);
    expect(await sink.send(sampleWire().slice(0, 1))).toMatchObject({ kind: 'reauth' });
    expect(emulator.requests()[0]).toMatchObject({
      status: 401,
      errorCode: 'MSS.00000001',
      errorMsg: 'Unauthorized: auth_key does not match',
    });
  });

  it('a URL that is not a report URL is a setup error that does not echo it', () => {
    const cap = captureLogger();
    const secretish = 'https://metastudio.cn-north-4.myhuaweicloud.com/v1/p/elsewhere?auth_key=s3cr3t-value';
    expect(() =>
      createSink(sinkConfig({ project_id: 'p', room_id: 'r', auth: { type: 'report_url', url: secretish } }), {
        logger: cap.logger,
        clock: new ManualClock(Date.now()),
      }),
    ).toThrow(/^metastudio\.auth\.url is not a live-event-report URL/);
  });
});
