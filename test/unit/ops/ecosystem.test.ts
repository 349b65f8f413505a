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
    writeFileSync(
      path.join(dir, 'night.yaml'),
      '# no stream key: the file name names it\nstate_dir: /var/lib/night\nhttp:\n  listen: 127.0.0.1:9465\n',
    );
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
    const stateRoot = tempDir();
    writeFileSync(path.join(dir, 'a.yaml'), 'stream: room-a\nhttp:\n  listen: 127.0.0.1:9464\n');
    writeFileSync(path.join(dir, 'b.yaml'), 'stream: room-b\nhttp:\n  listen: 127.0.0.1:9465\n');
    writeFileSync(path.join(envDir, 'room-a.env'), 'HW_SK=not-in-pm2-dump\n');
    writeFileSync(path.join(envDir, 'room-b.env'), '');
    const apps = (await loadApps({ LIVE_BRIDGE_CONFIG_DIR: dir, LIVE_BRIDGE_ENV_DIR: envDir, LIVE_BRIDGE_STATE_ROOT: stateRoot })) as {
      name: string;
      node_args: string[];
      env: Record<string, string>;
    }[];
    expect(apps.map((a) => [a.name, a.node_args, a.env])).toEqual([
      [
        'live-bridge-room-a',
        [`--env-file=${path.join(envDir, 'room-a.env')}`],
        { NODE_ENV: 'production', LIVE_BRIDGE_STATE_DIR: path.join(stateRoot, 'room-a') },
      ],
      [
        'live-bridge-room-b',
        [`--env-file=${path.join(envDir, 'room-b.env')}`],
        { NODE_ENV: 'production', LIVE_BRIDGE_STATE_DIR: path.join(stateRoot, 'room-b') },
      ],
    ]);
    expect(JSON.stringify(apps)).not.toContain('not-in-pm2-dump');
  });

  test('a stream without its <stream>.env in LIVE_BRIDGE_ENV_DIR is refused, naming the file', async () => {
    const dir = tempDir();
    const envDir = tempDir();
    writeFileSync(path.join(dir, 'a.yaml'), 'stream: room-a\nhttp:\n  listen: 127.0.0.1:9464\n');
    writeFileSync(path.join(dir, 'b.yaml'), 'stream: room-b\nhttp:\n  listen: 127.0.0.1:9465\n');
    writeFileSync(path.join(envDir, 'room-a.env'), 'HW_SK=x\n');
    await expect(loadApps({ LIVE_BRIDGE_CONFIG_DIR: dir, LIVE_BRIDGE_ENV_DIR: envDir, LIVE_BRIDGE_STATE_ROOT: tempDir() })).rejects.toThrow(
      `ecosystem.config.js: LIVE_BRIDGE_ENV_DIR=${envDir} has no room-b.env (expected ${path.join(envDir, 'room-b.env')}; an empty file will do for a stream without secrets)`,
    );
  });

  test('the env dir is remembered for a later reload from a shell without it; an empty value forgets it', async () => {
    const dir = tempDir();
    const envDir = tempDir();
    const stateRoot = tempDir();
    writeFileSync(path.join(dir, 'a.yaml'), 'stream: room-a\nmetastudio:\n  auth:\n    sk: ${HW_SK}\n');
    writeFileSync(path.join(envDir, 'room-a.env'), 'HW_SK=x\n');
    const envFile = [`--env-file=${path.join(envDir, 'room-a.env')}`];
    const start = (await loadApps({ LIVE_BRIDGE_CONFIG_DIR: dir, LIVE_BRIDGE_ENV_DIR: envDir, LIVE_BRIDGE_STATE_ROOT: stateRoot })) as {
      node_args: string[];
    }[];
    expect(start.map((a) => a.node_args)).toEqual([envFile]);
    // `pm2 reload ecosystem.config.js` in another shell: no LIVE_BRIDGE_ENV_DIR, same secrets.
    const reload = (await loadApps({ LIVE_BRIDGE_CONFIG_DIR: dir, LIVE_BRIDGE_STATE_ROOT: stateRoot })) as { node_args: string[] }[];
    expect(reload.map((a) => a.node_args)).toEqual([envFile]);
    // Forgotten, with the secret nowhere: refused before pm2 restarts anything without it.
    await expect(loadApps({ LIVE_BRIDGE_CONFIG_DIR: dir, LIVE_BRIDGE_ENV_DIR: '', LIVE_BRIDGE_STATE_ROOT: stateRoot })).rejects.toThrow(
      'ecosystem.config.js: HW_SK (a.yaml) not set and no env dir: start pm2 with LIVE_BRIDGE_ENV_DIR=<dir with <stream>.env files> (it is remembered for later reloads), or export the variables in the shell that runs pm2',
    );
    // Exported in pm2's shell instead: fine.
    const exported = (await loadApps({ LIVE_BRIDGE_CONFIG_DIR: dir, LIVE_BRIDGE_STATE_ROOT: stateRoot, HW_SK: 'x' })) as {
      node_args: string[];
    }[];
    expect(exported.map((a) => a.node_args)).toEqual([[]]);
  });

  test('two configs on one ops port are refused, the default port included; so is a shared state_dir', async () => {
    const same = tempDir();
    writeFileSync(path.join(same, 'a.yaml'), 'stream: a\nhttp:\n  listen: 127.0.0.1:9470\n');
    writeFileSync(path.join(same, 'b.yaml'), 'stream: b\nhttp:\n  listen: "[::1]:9470"\n');
    await expect(loadApps({ LIVE_BRIDGE_CONFIG_DIR: same })).rejects.toThrow(
      'ecosystem.config.js: a.yaml and b.yaml both serve their ops server on port 9470: give each stream its own http.listen',
    );
    const defaults = tempDir();
    writeFileSync(path.join(defaults, 'a.yaml'), 'stream: a\n');
    writeFileSync(path.join(defaults, 'b.yaml'), 'stream: b\n');
    await expect(loadApps({ LIVE_BRIDGE_CONFIG_DIR: defaults })).rejects.toThrow(
      /a\.yaml and b\.yaml both serve their ops server on port 9464/,
    );
    const off = tempDir();
    writeFileSync(path.join(off, 'a.yaml'), 'stream: a\nhttp:\n  listen: false\n');
    writeFileSync(path.join(off, 'b.yaml'), 'stream: b\nhttp:\n  listen: false\n');
    expect(await loadApps({ LIVE_BRIDGE_CONFIG_DIR: off })).toHaveLength(2);
    const spool = tempDir();
    writeFileSync(path.join(spool, 'a.yaml'), 'stream: a\nstate_dir: /var/lib/x\nhttp:\n  listen: 127.0.0.1:9464\n');
    writeFileSync(path.join(spool, 'b.yaml'), 'stream: b\nstate_dir: /var/lib/x/\nhttp:\n  listen: 127.0.0.1:9465\n');
    await expect(loadApps({ LIVE_BRIDGE_CONFIG_DIR: spool })).rejects.toThrow(
      'ecosystem.config.js: a.yaml and b.yaml share the state_dir /var/lib/x: two streams must not share a spool',
    );
  });

  test('an unparsable file or an invalid stream name falls back to the file name', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'broken.yaml'), 'stream: [unclosed\n');
    writeFileSync(path.join(dir, 'weird.yaml'), 'stream: "Not Valid!"\nhttp:\n  listen: 127.0.0.1:9465\n');
    const apps = (await loadApps({ LIVE_BRIDGE_CONFIG_DIR: dir })) as { name: string }[];
    expect(apps.map((a) => a.name)).toEqual(['live-bridge-broken', 'live-bridge-weird']);
  });

  test('two files naming the same stream are refused', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'a.yaml'), 'stream: same\nhttp:\n  listen: false\n');
    writeFileSync(path.join(dir, 'b.yaml'), 'stream: same\nhttp:\n  listen: false\n');
    await expect(loadApps({ LIVE_BRIDGE_CONFIG_DIR: dir })).rejects.toThrow(/a\.yaml and b\.yaml both name stream "same"/);
  });

  test('a missing or empty config directory is an error, not zero apps', async () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'empty'));
    writeFileSync(path.join(dir, 'empty', 'example.douyin.yaml'), 'stream: example\n');
    for (const d of [path.join(dir, 'absent'), path.join(dir, 'empty')]) {
      await expect(loadApps({ LIVE_BRIDGE_CONFIG_DIR: d })).rejects.toThrow(
        `ecosystem.config.js: no stream config in ${d} (every *.yaml except example.*, emulator* and demo.yaml); put one there or point LIVE_BRIDGE_CONFIG_DIR at your configs`,
      );
    }
  });
});
