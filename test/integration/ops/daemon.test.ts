/**
 * The built daemon as a supervisor runs it: a child process with an IPC channel, the simulated
 * room as its source and the MetaStudio emulator (a real HTTP server) as its sink.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { toWireEvent, WIRE_TYPE } from '../../../src/metastudio/wire.js';
import { DEMO, demoEmulatorConfig, startEmulator, type Emulator } from '../../../src/metastudio/emulator/index.js';
import { readSpool, SPOOL_FILE } from '../../../src/reporter/index.js';
import { built, startDaemon, waitFor, type DaemonProcess } from '../../helpers/ops/daemon.js';
import { parsePrometheusText, sumOf, type Family } from '../../helpers/ops/prom-text.js';

const ENV = { IT_AK: DEMO.ak, IT_SK: DEMO.sk };
/** pm2's kill_timeout and systemd's TimeoutStopSec are 15 s and 20 s: a clean stop must fit. */
const STOP_DEADLINE_MS = 15_000;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'live-bridge-daemon-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function emulator(): Promise<Emulator> {
  const e = await startEmulator({ config: demoEmulatorConfig() });
  cleanups.push(() => e.close());
  return e;
}

function writeConfig(dir: string, endpoint: string, source: { rate: number; durationMs: number }, stateDir: string): string {
  const file = path.join(dir, 'stream.yaml');
  writeFileSync(
    file,
    `stream: ops-it
sources:
  - platform: simulate
    name: sim
    room: it-room
    rate_per_second: ${source.rate}
    seed: 7
    duration_ms: ${source.durationMs}
metastudio:
  endpoint: ${endpoint}
  project_id: ${DEMO.projectId}
  room_id: ${DEMO.roomId}
  job_id: auto
  job_poll_interval_ms: 1000
  auth:
    type: aksk
    ak: \${IT_AK}
    sk: \${IT_SK}
reporter:
  flush_interval_ms: 200
  max_requests_per_second: 10
  retry_base_ms: 100
  retry_max_ms: 500
  shutdown_flush_ms: 1500
http:
  listen: 127.0.0.1:0
log:
  level: info
  format: json
state_dir: ${stateDir}
`,
  );
  return file;
}

function run(config: string): DaemonProcess {
  const daemon = startDaemon(config, ENV);
  cleanups.push(async () => {
    if (daemon.child.exitCode === null && daemon.child.signalCode === null) {
      daemon.child.kill('SIGKILL');
      await daemon.exited;
    }
  });
  return daemon;
}

async function get(url: string): Promise<{ status: number; body: string }> {
  const res = await fetch(url);
  return { status: res.status, body: await res.text() };
}

async function scrape(base: string): Promise<Map<string, Family>> {
  const res = await get(`${base}/metrics`);
  expect(res.status).toBe(200);
  return parsePrometheusText(res.body);
}

/** Stops with SIGTERM and returns the exit code; fails if the process outlives the supervisors' deadline. */
async function stop(daemon: DaemonProcess): Promise<number | null> {
  daemon.child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still running ${STOP_DEADLINE_MS} ms after SIGTERM`)), STOP_DEADLINE_MS);
  });
  try {
    const { code } = await Promise.race([daemon.exited, late]);
    return code;
  } finally {
    clearTimeout(timer);
  }
}

const KINDS = Object.keys(WIRE_TYPE) as (keyof typeof WIRE_TYPE)[];
const wireKey = (e: { timestamp: number; type: number; content: string }) => JSON.stringify([e.timestamp, e.type, e.content]);

describe('the built daemon under a supervisor', () => {
  beforeAll(() => {
    // `npm test` builds first; a bare `vitest run` needs `npm run build` beforehand.
    expect(built(), 'dist/src/cli/main.js is missing: run `npm run build`').toBe(true);
  });

  test('announces ready over IPC, serves /healthz /readyz /metrics, reports every event, stops with 0', async () => {
    const emu = await emulator();
    const dir = tempDir();
    const state = path.join(dir, 'state');
    const daemon = run(writeConfig(dir, emu.url, { rate: 40, durationMs: 2500 }, state));

    expect(await daemon.firstMessage).toBe('ready');
    const base = String((await daemon.logLine('ops server listening')).url);
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const health = await get(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toMatchObject({ status: 'ok' });
    const ready = await waitFor('/readyz 200', 15_000, async () => {
      const r = await get(`${base}/readyz`);
      return r.status === 200 ? (JSON.parse(r.body) as { ready: boolean; sink: unknown }) : undefined;
    });
    expect(ready).toMatchObject({ ready: true, sink: { state: 'ready' } });

    // The room stops after duration_ms; wait until every received event is accounted for.
    const families = await waitFor('the bridge to go idle', 20_000, async () => {
      const f = await scrape(base);
      const idle =
        sumOf(f, 'live_bridge_source_state', { state: 'ended' }) === 1 &&
        sumOf(f, 'live_bridge_queue_events') === 0 &&
        sumOf(f, 'live_bridge_in_flight_events') === 0 &&
        sumOf(f, 'live_bridge_events_received_total') > 0 &&
        sumOf(f, 'live_bridge_events_received_total') ===
          sumOf(f, 'live_bridge_events_sent_total') +
            sumOf(f, 'live_bridge_events_dropped_total') +
            sumOf(f, 'live_bridge_events_coalesced_total');
      return idle ? f : undefined;
    });
    const accepted = emu.accepted();
    expect(sumOf(families, 'live_bridge_events_sent_total')).toBe(accepted.length);
    // Per wire type: follows and subscriptions share type 5.
    for (const type of new Set(Object.values(WIRE_TYPE))) {
      const kinds = KINDS.filter((k) => WIRE_TYPE[k] === type);
      const sent = kinds.reduce((n, kind) => n + sumOf(families, 'live_bridge_events_sent_total', { type: kind }), 0);
      expect(sent, kinds.join('+')).toBe(accepted.filter((a) => a.event.type === type).length);
    }
    expect(sumOf(families, 'live_bridge_events_sent_total', { type: 'gift' })).toBeGreaterThan(0);
    expect(sumOf(families, 'live_bridge_events_dropped_total', { intentional: 'false' })).toBe(0);
    expect(sumOf(families, 'live_bridge_metastudio_requests_total', { operation: 'report', status: '200' })).toBe(
      emu.requests().filter((r) => r.operation === 'report' && r.status === 200).length,
    );

    expect(await stop(daemon)).toBe(0);
    expect(emu.accepted()).toHaveLength(accepted.length);
    expect(existsSync(path.join(state, SPOOL_FILE))).toBe(false);
    // Every stdout line is a JSON log line, and the secret key never appears in one.
    for (const line of daemon.stdout()) expect(() => JSON.parse(line), line).not.toThrow();
    expect(daemon.stdout().join('\n')).not.toContain(DEMO.sk);
  });

  test('SIGTERM while MetaStudio fails: exits 0 in time, every gift is either accepted or spooled, and the spool is delivered on restart', async () => {
    const emu = await emulator();
    const dir = tempDir();
    const state = path.join(dir, 'state');
    const daemon = run(writeConfig(dir, emu.url, { rate: 40, durationMs: 2000 }, state));
    const base = String((await daemon.logLine('ops server listening')).url);
    await waitFor('first accepted gift', 15_000, () => (emu.accepted().some((a) => a.event.type === WIRE_TYPE.gift) ? true : undefined));
    // From now on every report fails with a 500.
    emu.script(Array.from({ length: 500 }, () => ({ kind: 'status' as const, status: 500 })));

    // The room ends after duration_ms; once its last gift streaks have closed, the pipeline holds
    // nothing: every received event is sent, dropped, coalesced, queued or in flight.
    const before = await waitFor('the room to end and its streaks to close', 15_000, async () => {
      const f = await scrape(base);
      const held =
        sumOf(f, 'live_bridge_events_received_total') -
        sumOf(f, 'live_bridge_events_sent_total') -
        sumOf(f, 'live_bridge_events_dropped_total') -
        sumOf(f, 'live_bridge_events_coalesced_total') -
        sumOf(f, 'live_bridge_queue_events') -
        sumOf(f, 'live_bridge_in_flight_events') -
        sumOf(f, 'live_bridge_spool_events');
      return sumOf(f, 'live_bridge_source_state', { state: 'ended' }) === 1 && held === 0 ? f : undefined;
    });
    const acceptedBefore = emu.accepted();
    const sentGifts = sumOf(before, 'live_bridge_events_sent_total', { type: 'gift' });
    expect(acceptedBefore.filter((a) => a.event.type === WIRE_TYPE.gift)).toHaveLength(sentGifts);

    expect(await stop(daemon)).toBe(0);
    const spooled = await readSpool(state);
    const spooledGifts = spooled.filter((e) => e.kind === 'gift').map((e) => wireKey(toWireEvent(e)));
    const acceptedGifts = emu
      .accepted()
      .filter((a) => a.event.type === WIRE_TYPE.gift)
      .map((a) => wireKey(a.event));
    expect(spooledGifts.length).toBeGreaterThan(0);
    // Nothing both sent and spooled; sent + spooled = every gift the pipeline let through.
    expect(spooledGifts.filter((k) => acceptedGifts.includes(k))).toEqual([]);
    const emitted =
      sumOf(before, 'live_bridge_events_received_total', { type: 'gift' }) -
      sumOf(before, 'live_bridge_events_coalesced_total', { type: 'gift' }) -
      sumOf(before, 'live_bridge_events_dropped_total', { type: 'gift' });
    expect(acceptedGifts.length + spooledGifts.length).toBe(emitted);

    // A restart on the same state directory, with MetaStudio healthy again, delivers the spool.
    const emu2 = await emulator();
    const again = run(writeConfig(dir, emu2.url, { rate: 0.001, durationMs: 0 }, state));
    await waitFor('the spool to be delivered', 20_000, () =>
      emu2.accepted().filter((a) => a.event.type === WIRE_TYPE.gift).length >= spooledGifts.length ? true : undefined,
    );
    expect(
      emu2
        .accepted()
        .filter((a) => a.event.type === WIRE_TYPE.gift)
        .map((a) => wireKey(a.event))
        .sort(),
    ).toEqual([...spooledGifts].sort());
    expect(await stop(again)).toBe(0);
  });

  test('a bad config exits 78 before announcing ready', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'bad.yaml');
    writeFileSync(file, 'stream: ops-it\nsources:\n  - platform: simulate\nmetastudio:\n  project_id: p\n  room_id: r\n  jobid: auto\n');
    const daemon = run(file);
    let message: unknown = 'none';
    void daemon.firstMessage.then((m) => (message = m));
    const { code } = await daemon.exited;
    expect(code).toBe(78);
    expect(message).toBe('none');
    expect(daemon.stderr()).toContain('metastudio.jobid');
  });
});
