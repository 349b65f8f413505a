import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { cli } from '../../helpers/cli.js';

describe('usage', () => {
  test('no command prints the command list to stderr and exits 64', async () => {
    const r = await cli([]);
    expect(r.code).toBe(64);
    expect(r.stderr).toContain('Usage: live-bridge <command> [options]');
    for (const name of ['run', 'check', 'demo']) expect(r.stderr).toMatch(new RegExp(`^  ${name} +\\S`, 'm'));
  });

  test('--help exits 0 on stdout', async () => {
    const r = await cli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Exit codes: 0 ok, 1 crash, 64 usage error, 78 bad config.');
  });

  test('an unknown command is a usage error', async () => {
    const r = await cli(['serve']);
    expect(r.code).toBe(64);
    expect(r.stderr.split('\n')[0]).toBe('live-bridge: unknown command "serve"');
  });

  test('an unknown flag is a usage error naming the flag', async () => {
    const r = await cli(['check', 'x.yaml', '--verbose']);
    expect(r.code).toBe(64);
    expect(r.stderr).toContain("Unknown option '--verbose'");
    expect(r.stderr).toContain('Usage: live-bridge check <config.yaml>... [--quiet] [--online] [--strict]');
  });

  test('a missing argument is a usage error', async () => {
    const r = await cli(['run']);
    expect(r.code).toBe(64);
    expect(r.stderr).toBe(
      'live-bridge run: expected a config file (or --config-dir <dir>)\nUsage: live-bridge run <config.yaml> [<config.yaml> ...] | run --config-dir <dir>\n',
    );
  });

  test.each(['run', 'check', 'demo'])('%s --help describes the command', async (name) => {
    const r = await cli([name, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith(`Usage: live-bridge ${name}`)).toBe(true);
    expect(r.stdout.split('\n').length).toBeGreaterThan(3);
  });

  test('--version prints the package version', async () => {
    const r = await cli(['--version']);
    expect(r.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });
});

describe('check', () => {
  test('the demo config is valid; secrets are masked in the printout', async () => {
    const r = await cli(['check', 'config/demo.yaml'], { env: { DEMO_SK: 'a-very-secret-demo-sk' } });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('# config/demo.yaml: valid\n');
    expect(r.stdout).toContain('    sk: "***"');
    expect(r.stdout).toContain('    ak: "***"');
    expect(r.stdout).not.toContain('a-very-secret-demo-sk');
    expect(r.stdout).toContain('max_requests_per_second: 2');
  });

  test('a broken config exits 78 with file:line:col and the key path', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lb-check-'));
    const file = path.join(dir, 'bad.yaml');
    await writeFile(file, 'stream: s\nsources:\n  - platform: simulate\nmetastudio:\n  project_id: p\n  room_id: r\n  job_idd: x\n');
    const r = await cli(['check', file]);
    expect(r.code).toBe(78);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `${file}:7:3: metastudio.job_idd: unknown key (did you mean "job_id"?); allowed here: endpoint, project_id, room_id, job_id, auth, dry_run, no_need_review, app_user_id, request_timeout_ms, job_poll_interval_ms\n`,
    );
  });

  test('a missing file exits 78 and says so', async () => {
    const r = await cli(['check', '/nonexistent/x.yaml']);
    expect(r.code).toBe(78);
    expect(r.stderr).toBe('/nonexistent/x.yaml: cannot read the config file (ENOENT)\n');
  });
});

describe('shipped configs', () => {
  const files = readdirSync('config').filter((f) => f.endsWith('.yaml'));

  test('config/ holds the stream configs users start from', () => {
    expect(files.sort()).toEqual([
      'demo.yaml',
      'example.bilibili.yaml',
      'example.douyin.yaml',
      'example.tiktok.yaml',
      'example.twitch.yaml',
      'example.youtube.yaml',
    ]);
  });

  test.each(files)('live-bridge check config/%s exits 0 once its ${VARS} are set', async (file) => {
    const text = readFileSync(`config/${file}`, 'utf8');
    // Only the variables the file requires (no default): give each a plausible value.
    const required = [...text.matchAll(/\$\{([A-Z0-9_]+)(:\?[^}]*)?\}/g)].map((m) => m[1] as string);
    const env = Object.fromEntries(required.map((name) => [name, `value-of-${name.toLowerCase()}`]));
    const r = await cli(['check', `config/${file}`], { env });
    expect(r.stderr.split('\n').filter((l) => l !== '' && !l.startsWith('warning: '))).toEqual([]);
    expect(r.code).toBe(0);
  });
});
