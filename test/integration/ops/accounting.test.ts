/**
 * Metrics an alert can trust, read from the built daemon's /metrics: every drop reason is a series
 * at 0 before the first event (so the first loss is an `increase()`), the build is named, and the
 * accounting identity holds at any scrape, mid-run included, because the events held in open gift
 * streaks and like windows are exported.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, expect, test } from 'vitest';
import { DROP_REASONS } from '../../../src/core/stats.js';
import { EVENT_KINDS } from '../../../src/core/events.js';
import { DEMO, demoEmulatorConfig, startEmulator } from '../../../src/metastudio/emulator/index.js';
import { built, startDaemon, waitFor } from '../../helpers/ops/daemon.js';
import { parsePrometheusText, sumOf, type Family } from '../../helpers/ops/prom-text.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

beforeAll(() => {
  expect(built(), 'dist/src/cli/main.js is missing: run `npm run build`').toBe(true);
});

async function scrape(base: string): Promise<Map<string, Family>> {
  const res = await fetch(`${base}/metrics`);
  expect(res.status).toBe(200);
  return parsePrometheusText(await res.text());
}

/** received − (sent + dropped + coalesced + queued + in flight + spooled + held): 0 at any scrape. */
function unaccounted(f: Map<string, Family>, held = true): number {
  return (
    sumOf(f, 'live_bridge_events_received_total') -
    sumOf(f, 'live_bridge_events_sent_total') -
    sumOf(f, 'live_bridge_events_dropped_total') -
    sumOf(f, 'live_bridge_events_coalesced_total') -
    sumOf(f, 'live_bridge_queue_events') -
    sumOf(f, 'live_bridge_in_flight_events') -
    sumOf(f, 'live_bridge_spool_events') -
    (held ? sumOf(f, 'live_bridge_events_held') : 0)
  );
}

test('drop series at 0 from the start, build info, and the accounting identity at every scrape of a running stream', async () => {
  const emu = await startEmulator({ config: demoEmulatorConfig() });
  cleanups.push(() => emu.close());
  const dir = mkdtempSync(path.join(tmpdir(), 'live-bridge-accounting-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'stream.yaml');
  // Long streak and like windows: most scrapes find events held in the pipeline.
  writeFileSync(
    file,
    `stream: accounting
sources:
  - platform: simulate
    name: sim
    room: acc-room
    rate_per_second: 60
    seed: 11
    duration_ms: 3000
metastudio:
  endpoint: ${emu.url}
  project_id: ${DEMO.projectId}
  room_id: ${DEMO.roomId}
  job_id: ${DEMO.jobId}
  auth:
    type: aksk
    ak: \${IT_AK}
    sk: \${IT_SK}
pipeline:
  gift_streak_idle_ms: 4000
  like_window_ms: 4000
reporter:
  flush_interval_ms: 200
http:
  listen: 127.0.0.1:0
log:
  format: json
state_dir: ${path.join(dir, 'state')}
`,
  );
  const daemon = startDaemon(file, { IT_AK: DEMO.ak, IT_SK: DEMO.sk });
  cleanups.push(async () => {
    if (daemon.child.exitCode === null && daemon.child.signalCode === null) {
      daemon.child.kill('SIGKILL');
      await daemon.exited;
    }
  });
  const base = String((await daemon.logLine('ops server listening')).url);

  // From the stream's first scrape: every known reason × type is a series, with its policy/loss
  // label; the losses read 0 (nothing is lost in this run), so the first one would be an increase.
  const first = await waitFor('the stream series', 15_000, async () => {
    const f = await scrape(base);
    return f.has('live_bridge_events_dropped_total') ? f : undefined;
  });
  const drops = first.get('live_bridge_events_dropped_total')?.samples ?? [];
  for (const [reason, intentional] of Object.entries(DROP_REASONS)) {
    for (const type of EVENT_KINDS) {
      const found = drops.filter((s) => s.labels.reason === reason && s.labels.type === type);
      expect(
        found.map((s) => s.labels),
        `${reason} ${type}`,
      ).toEqual([{ reason, intentional: String(intentional), type, stream: 'accounting' }]);
      if (!intentional) expect(found[0]?.value, `${reason} ${type}`).toBe(0);
    }
  }
  expect(first.get('live_bridge_build_info')?.samples).toEqual([
    {
      name: 'live_bridge_build_info',
      labels: { version: '0.1.0', node: process.version.slice(1), stream: 'accounting' },
      value: 1,
    },
  ]);

  // Mid-run: scrape as fast as the daemon answers while the room is live.
  let scrapes = 0;
  let heldSeen = 0;
  let wouldFailWithoutHeld = 0;
  for (;;) {
    const f = await scrape(base);
    const live = sumOf(f, 'live_bridge_source_state', { state: 'live' }) === 1;
    const ended = sumOf(f, 'live_bridge_source_state', { state: 'ended' }) === 1;
    if (!live && !ended) continue;
    scrapes += 1;
    expect(unaccounted(f), `scrape ${scrapes}`).toBe(0);
    const held = sumOf(f, 'live_bridge_events_held');
    if (held > 0) heldSeen += 1;
    if (unaccounted(f, false) !== 0) wouldFailWithoutHeld += 1;
    expect(sumOf(f, 'live_bridge_events_held', { type: 'comment' })).toBe(0);
    if (ended) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  expect(scrapes).toBeGreaterThan(3);
  // The held term mattered: without it the identity would have been off at those scrapes.
  expect(heldSeen).toBeGreaterThan(0);
  expect(wouldFailWithoutHeld).toBe(heldSeen);

  // The streaks close after their idle time; then nothing is held and everything is sent.
  const idle = await waitFor('the pipeline to release what it held', 20_000, async () => {
    const f = await scrape(base);
    return sumOf(f, 'live_bridge_events_held') === 0 &&
      sumOf(f, 'live_bridge_queue_events') === 0 &&
      sumOf(f, 'live_bridge_in_flight_events') === 0
      ? f
      : undefined;
  });
  expect(unaccounted(idle)).toBe(0);
  expect(sumOf(idle, 'live_bridge_events_sent_total')).toBe(emu.accepted().length);
  daemon.child.kill('SIGTERM');
  expect((await daemon.exited).code).toBe(0);
});
