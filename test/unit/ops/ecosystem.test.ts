import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, test } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const LOADER = path.join(ROOT, 'test/helpers/ops/load-ecosystem.cjs');
const run = promisify(execFile);

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'live-bridge-eco-'));
  dirs.push(dir);
  return dir;
}

/** What pm2 would read: the `apps` of a CommonJS require() of the file, in a fresh process. */
async function loadApps(env: Record<string, string>): Promise<unknown[]> {
  const { stdout } = await run(process.execPath, [LOADER], { env: { PATH: process.env.PATH ?? '', ...env } });
  return JSON.parse(stdout) as unknown[];
}

function baseApp(name: string, file: string) {
  return {
    name,
    script: path.join(ROOT, 'dist/src/cli/main.js'),
    args: ['run', file],
    cwd: ROOT,
    exec_mode: 'fork',
    instances: 1,
    autorestart: true,
    wait_ready: true,
    listen_timeout: 15000,
    kill_timeout: 15000,
    max_memory_restart: '300M',
    exp_backoff_restart_delay: 1000,
    stop_exit_codes: [78],
    node_args: [] as string[],
  };
}

describe('ecosystem.config.js', () => {
  test('one app per stream config, named from the stream key, samples skipped', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'shop.yaml'), 'stream: shop-main\nreporter:\n  shutdown_flush_ms: 12000\nsources: []\n');
    writeFileSync(path.join(dir, 'night.yaml'), '# no stream key: the file name names it\nstate_dir: /var/lib/night\n');
    writeFileSync(path.join(dir, 'example.douyin.yaml'), 'stream: example\n');
    writeFileSync(path.join(dir, 'emulator.yaml'), 'stream: emu\n');
    writeFileSync(path.join(dir, 'demo.yaml'), 'stream: demo\n');
    writeFileSync(path.join(dir, 'notes.txt'), 'not a config\n');
    const apps = await loadApps({ LIVE_BRIDGE_CONFIG_DIR: dir });
    expect(apps).toEqual([
      { ...baseApp('live-bridge-night', path.join(dir, 'night.yaml')), env: { NODE_ENV: 'production' } },
      {
        ...baseApp('live-bridge-shop-main', path.join(dir, 'shop.yaml')),
        kill_timeout: 19000,
        env: { NODE_ENV: 'production', LIVE_BRIDGE_STATE_DIR: path.join(ROOT, 'state', 'shop-main') },
      },
    ]);
  });

  test('env files come from LIVE_BRIDGE_ENV_DIR through node --env-file; the state root is overridable', async () => {
    const dir = tempDir();
    const envDir = tempDir();
    writeFileSync(path.join(dir, 'a.yaml'), 'stream: room-a\n');
    writeFileSync(path.join(dir, 'b.yaml'), 'stream: room-b\n');
    writeFileSync(path.join(envDir, 'room-a.env'), 'HW_SK=not-in-pm2-dump\n');
    const apps = (await loadApps({ LIVE_BRIDGE_CONFIG_DIR: dir, LIVE_BRIDGE_ENV_DIR: envDir, LIVE_BRIDGE_STATE_ROOT: '/srv/bridge' })) as {
      name: string;
      node_args: string[];
      env: Record<string, string>;
    }[];
    expect(apps.map((a) => [a.name, a.node_args, a.env])).toEqual([
      [
        'live-bridge-room-a',
        [`--env-file=${path.join(envDir, 'room-a.env')}`],
        { NODE_ENV: 'production', LIVE_BRIDGE_STATE_DIR: '/srv/bridge/room-a' },
      ],
      ['live-bridge-room-b', [], { NODE_ENV: 'production', LIVE_BRIDGE_STATE_DIR: '/srv/bridge/room-b' }],
    ]);
    expect(JSON.stringify(apps)).not.toContain('not-in-pm2-dump');
  });

  test('an unparsable file or an invalid stream name falls back to the file name', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'broken.yaml'), 'stream: [unclosed\n');
    writeFileSync(path.join(dir, 'weird.yaml'), 'stream: "Not Valid!"\n');
    const apps = (await loadApps({ LIVE_BRIDGE_CONFIG_DIR: dir })) as { name: string }[];
    expect(apps.map((a) => a.name)).toEqual(['live-bridge-broken', 'live-bridge-weird']);
  });

  test('two files naming the same stream are refused', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'a.yaml'), 'stream: same\n');
    writeFileSync(path.join(dir, 'b.yaml'), 'stream: same\n');
    await expect(loadApps({ LIVE_BRIDGE_CONFIG_DIR: dir })).rejects.toThrow(/a\.yaml and b\.yaml both name stream "same"/);
  });

  test('a missing or empty config directory gives no apps', async () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'empty'));
    expect(await loadApps({ LIVE_BRIDGE_CONFIG_DIR: path.join(dir, 'absent') })).toEqual([]);
    expect(await loadApps({ LIVE_BRIDGE_CONFIG_DIR: path.join(dir, 'empty') })).toEqual([]);
  });
});
