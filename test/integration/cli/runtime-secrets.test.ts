/**
 * No credential leaks, for every auth mode, even when the server echoes the request: the daemon
 * (`live-bridge run`, in this process) reports a simulated room into the emulator; once reports
 * flow, every report is answered 500 with the request line and every header repeated in the
 * error message (an `echo` fault). Configured secrets and those obtained at run time (the IAM
 * token, refreshed report URLs and their keys) must appear in no log line and not in /readyz.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, test } from 'vitest';
import { runCli } from '../../../src/cli/run-cli.js';
import { DEMO, demoEmulatorConfig, startEmulator, type Emulator } from '../../../src/metastudio/emulator/index.js';
import { waitFor } from '../../helpers/ops/daemon.js';

const TOKEN = 'static-token-for-the-leak-test-0001';
const PASSWORD = 'iam-password-for-the-leak-test';

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

type Mode = 'aksk' | 'token' | 'password' | 'report_url' | 'none';

function authLines(mode: Mode, emu: Emulator): { lines: string[]; env: Record<string, string>; secrets: string[] } {
  switch (mode) {
    case 'aksk':
      return {
        lines: ['  auth:', '    type: aksk', '    ak: ${HW_AK}', '    sk: ${HW_SK}'],
        env: { HW_AK: DEMO.ak, HW_SK: DEMO.sk },
        secrets: [DEMO.ak, DEMO.sk],
      };
    case 'token':
      return { lines: ['  auth:', '    type: token', '    token: ${HW_TOKEN}'], env: { HW_TOKEN: TOKEN }, secrets: [TOKEN] };
    case 'password':
      return {
        lines: [
          '  auth:',
          '    type: password',
          '    user: ops-user',
          '    password: ${HW_PASSWORD}',
          '    domain: acme',
          `    iam_endpoint: ${emu.url}`,
        ],
        env: { HW_PASSWORD: PASSWORD },
        secrets: [PASSWORD],
      };
    case 'report_url': {
      // Close to expiry, so the first report refreshes it and a new URL arrives at run time.
      const url = emu.mintReportUrl(DEMO.roomId, DEMO.jobId, { ttlMs: 5 * 60_000 });
      return {
        lines: [
          '  auth:',
          '    type: report_url',
          '    url: ${HW_URL}',
          '    refresh:',
          '      type: aksk',
          '      ak: ${HW_AK}',
          '      sk: ${HW_SK}',
        ],
        env: { HW_URL: url, HW_AK: DEMO.ak, HW_SK: DEMO.sk },
        secrets: [url, new URL(url).searchParams.get('auth_key')!, DEMO.ak, DEMO.sk],
      };
    }
    case 'none':
      return { lines: [], env: {}, secrets: [] };
  }
}

describe('credentials never leak, in any auth mode, when the server echoes the request', () => {
  for (const mode of ['aksk', 'token', 'password', 'report_url', 'none'] as const) {
    test(mode, async () => {
      emulator = await startEmulator({
        config: {
          ...demoEmulatorConfig(),
          tokens: [TOKEN],
          iam_users: [{ name: 'ops-user', password: PASSWORD, domain: 'acme' }],
          allow_anonymous: mode === 'none',
        },
      });
      const emu = emulator;
      const auth = authLines(mode, emu);
      const dir = await mkdtemp(path.join(os.tmpdir(), 'lb-leak-'));
      const file = path.join(dir, 'leak.yaml');
      await writeFile(
        file,
        [
          'stream: leak',
          'sources:',
          '  - platform: simulate',
          '    rate_per_second: 50',
          'metastudio:',
          `  endpoint: ${emu.url}`,
          `  project_id: ${DEMO.projectId}`,
          `  room_id: ${DEMO.roomId}`,
          `  job_id: ${DEMO.jobId}`,
          ...auth.lines,
          'reporter:',
          '  flush_interval_ms: 100',
          '  retry_base_ms: 50',
          '  retry_max_ms: 200',
          '  circuit_cooldown_ms: 200',
          '  shutdown_flush_ms: 500',
          'http:',
          '  listen: 127.0.0.1:0',
          'log:',
          '  level: debug',
          '  format: json',
          `state_dir: ${path.join(dir, 'state')}`,
          '',
        ].join('\n'),
      );
      const stdout = new PassThrough();
      let out = '';
      stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
      const controller = new AbortController();
      const done = runCli(['run', file], { stdout, stderr: new PassThrough(), env: auth.env, signal: controller.signal });
      let readyz: string;
      try {
        const url = await waitFor('the ops server', 10_000, () => /"url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(out)?.[1]);
        await waitFor('a first accepted report', 10_000, () => (emu.accepted().length > 0 ? true : undefined));
        emu.outage({ kind: 'echo', status: 500 });
        const before = emu.requests().length;
        await waitFor('echoed failures', 10_000, () => (emu.requests().filter((r) => r.fault).length >= 3 ? true : undefined));
        expect(emu.requests().length).toBeGreaterThan(before);
        readyz = await waitFor('the echo in /readyz', 10_000, async () => {
          const text = await (await fetch(`${url}/readyz`)).text();
          return text.includes('echo: POST') ? text : undefined;
        });
      } finally {
        controller.abort();
        expect(await done).toBe(0);
      }
      // The echo reached both places (so the test sees what a leak would look like)...
      expect(out).toContain('echo: POST');
      expect(out).toContain('content-type');
      // ...and no secret, configured or handed out at run time, is in either.
      const secrets = [...auth.secrets, ...emu.issuedSecrets()].filter((s) => s.length >= 8);
      if (mode === 'password' || mode === 'report_url') expect(emu.issuedSecrets().length).toBeGreaterThan(0);
      for (const secret of secrets) {
        expect(out.includes(secret), `log holds ${secret.slice(0, 6)}…`).toBe(false);
        expect(readyz.includes(secret), `/readyz holds ${secret.slice(0, 6)}…`).toBe(false);
      }
    });
  }
});
