import { execFile, execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, test } from 'vitest';
import { ReporterSchema } from '../../../src/config/sections/reporter.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const UNIT = path.join(ROOT, 'deploy/systemd/live-bridge@.service');

/** Every `Key=value` of one section, in order (keys may repeat). */
function section(text: string, name: string): [string, string][] {
  const out: [string, string][] = [];
  let current = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) current = header[1] as string;
    else if (current === name) {
      const eq = line.indexOf('=');
      out.push([line.slice(0, eq), line.slice(eq + 1)]);
    }
  }
  return out;
}

const seconds = (v: string) => Number(/^(\d+)s$/.exec(v)?.[1] ?? NaN);

function hasSystemdAnalyze(): boolean {
  try {
    execFileSync('systemd-analyze', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('deploy/systemd/live-bridge@.service', () => {
  const text = readFileSync(UNIT, 'utf8');
  const service = section(text, 'Service');
  const get = (key: string) => service.filter(([k]) => k === key).map(([, v]) => v);

  test('the instance name picks the config, the env file and the state directory', () => {
    expect(get('ExecStart')).toEqual(['/usr/bin/env node /opt/live-bridge/dist/src/cli/main.js run /etc/live-bridge/%i.yaml']);
    expect(get('EnvironmentFile')).toEqual(['-/etc/live-bridge/%i.env']);
    expect(get('StateDirectory')).toEqual(['live-bridge/%i']);
    expect(get('Environment')).toContain('LIVE_BRIDGE_STATE_DIR=%S/live-bridge/%i');
  });

  test('supervision: exec type, restart on failure except a bad config, stop timeout above the flush deadline', () => {
    expect(get('Type')).toEqual(['exec']);
    expect(get('Restart')).toEqual(['on-failure']);
    expect(get('RestartPreventExitStatus')).toEqual(['78']);
    const flushMs = ReporterSchema.parse({}).shutdown_flush_ms;
    expect(seconds(get('TimeoutStopSec')[0] ?? '') * 1000).toBeGreaterThanOrEqual(flushMs + 5000);
    expect(get('KillSignal')).toEqual(['SIGTERM']);
  });

  test('sandboxing', () => {
    const expected: [string, string][] = [
      ['DynamicUser', 'yes'],
      ['NoNewPrivileges', 'yes'],
      ['ProtectSystem', 'strict'],
      ['ProtectHome', 'yes'],
      ['PrivateTmp', 'yes'],
      ['RestrictAddressFamilies', 'AF_INET AF_INET6 AF_UNIX'],
      ['CapabilityBoundingSet', ''],
      ['MemoryMax', '400M'],
    ];
    for (const pair of expected) expect(service).toContainEqual(pair);
    // V8's JIT needs writable executable memory.
    expect(get('MemoryDenyWriteExecute')).toEqual([]);
  });

  // CI installs systemd (.ci/run); on a developer machine without it this check is skipped.
  test.skipIf(!hasSystemdAnalyze() && !process.env.CI)(
    'systemd-analyze verify accepts an instance of the template without a warning',
    async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'live-bridge-unit-'));
      try {
        const instance = path.join(dir, 'live-bridge@shop-main.service');
        copyFileSync(UNIT, instance);
        const { stdout, stderr } = await promisify(execFile)('systemd-analyze', ['verify', '--man=no', instance]);
        // verify exits 0 on unknown keys and unparsable values ("ignoring"): any output is a finding.
        expect(`${stdout}${stderr}`).toBe('');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
