/**
 * What the built daemon says when MetaStudio fails: each failure is one log line (the component
 * that acts on it, saying what it does next), never a second from the HTTP client underneath; a
 * network failure names its cause (connection refused, with the address), not "fetch failed".
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, expect, test } from 'vitest';
import { DEMO, demoEmulatorConfig, startEmulator } from '../../../src/metastudio/emulator/index.js';
import { built, startDaemon, waitFor, type DaemonProcess } from '../../helpers/ops/daemon.js';
import { refusedPort } from '../../helpers/ports.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

beforeAll(() => {
  expect(built(), 'dist/src/cli/main.js is missing: run `npm run build`').toBe(true);
});

function daemon(endpoint: string, jobId: string): DaemonProcess {
  const dir = mkdtempSync(path.join(tmpdir(), 'live-bridge-failures-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'stream.yaml');
  writeFileSync(
    file,
    `stream: failures
sources:
  - platform: simulate
    name: sim
    room: fail-room
    rate_per_second: 20
    seed: 5
    duration_ms: 1500
metastudio:
  endpoint: ${endpoint}
  project_id: ${DEMO.projectId}
  room_id: ${DEMO.roomId}
  job_id: ${jobId}
  job_poll_interval_ms: 1000
  auth:
    type: aksk
    ak: \${IT_AK}
    sk: \${IT_SK}
reporter:
  flush_interval_ms: 100
  retry_base_ms: 100
  retry_max_ms: 200
http:
  listen: false
log:
  level: info
  format: json
state_dir: ${path.join(dir, 'state')}
`,
  );
  const d = startDaemon(file, { IT_AK: DEMO.ak, IT_SK: DEMO.sk });
  cleanups.push(async () => {
    if (d.child.exitCode === null && d.child.signalCode === null) {
      d.child.kill('SIGKILL');
      await d.exited;
    }
  });
  return d;
}

const logLines = (d: DaemonProcess) =>
  d
    .stdout()
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
const complaints = (d: DaemonProcess) => logLines(d).filter((l) => l.level === 'warn' || l.level === 'error');

test('three refused reports are three reporter lines, none from the client underneath', async () => {
  const emu = await startEmulator({ config: demoEmulatorConfig() });
  cleanups.push(() => emu.close());
  emu.script([
    { kind: 'status', status: 500, operation: 'report', latency_ms: 0 },
    { kind: 'status', status: 503, operation: 'report', latency_ms: 0 },
    { kind: 'throttle', operation: 'report', latency_ms: 0 },
  ]);
  const d = daemon(emu.url, DEMO.jobId);
  await waitFor('a report accepted after the faults', 20_000, () => (emu.accepted().length > 0 ? true : undefined));
  const refused = emu.requests().filter((r) => r.operation === 'report' && r.status !== 200);
  expect(refused.map((r) => r.status)).toEqual([500, 503, 429]);
  const lines = complaints(d).filter((l) => l.component !== 'source');
  // One line per failed request, each from the reporter with the code and what happens next.
  expect(lines.map((l) => `${String(l.component)} ${String(l.message)} ${String(l.code)}`)).toEqual([
    'reporter report failed; will retry metastudio_server_error',
    'reporter report failed; will retry metastudio_server_error',
    'reporter report failed; will retry metastudio_throttled',
  ]);
  for (const l of lines)
    expect(l).toMatchObject({ reason: expect.stringMatching(/^report refused: HTTP (500|503|429)/), retryInMs: expect.any(Number) });
  d.child.kill('SIGTERM');
  expect((await d.exited).code).toBe(0);
});

test('MetaStudio unreachable: the job lookup says so once per poll, naming the refused address', async () => {
  const port = await refusedPort();
  const d = daemon(`http://127.0.0.1:${port}`, DEMO.jobId);
  const lookups = await waitFor('two failed job lookups', 20_000, () => {
    const found = complaints(d).filter((l) => l.message === 'job lookup failed; looking again at the next poll');
    return found.length >= 2 ? found : undefined;
  });
  expect(lookups[0]).toMatchObject({
    component: 'metastudio',
    code: 'metastudio_network',
    error: `show_job failed: connection refused (ECONNREFUSED 127.0.0.1:${port})`,
    retryInMs: 1000,
  });
  // Nothing else complains about the same lookups (no client line beside each), and "fetch failed" is never the reason.
  const others = complaints(d).filter(
    (l) => l.message !== 'job lookup failed; looking again at the next poll' && l.component === 'metastudio',
  );
  expect(others).toEqual([]);
  expect(d.stdout().join('\n')).not.toContain('fetch failed');
  d.child.kill('SIGTERM');
  expect((await d.exited).code).toBe(0);
});
