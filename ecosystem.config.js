/**
 * pm2 ecosystem: one app per stream config, `pm2 start ecosystem.config.js`.
 *
 * Every `*.yaml` in config/ (or $LIVE_BRIDGE_CONFIG_DIR) becomes an app named
 * `live-bridge-<stream>`, where <stream> is the file's `stream:` key (the file name when it has
 * none). The shipped samples are skipped: `example.*`, `emulator*` and `demo.yaml`.
 *
 * This file is an ES module (the package is "type": "module"). pm2 `require()`s it; Node
 * ≥ 20.19 / 22.12 loads ES modules through require() and pm2 reads the `apps` export. Keep it
 * free of top-level await, which require() cannot load.
 *
 * Secrets never come from the repository: pm2 passes its own environment to the apps, and
 * with $LIVE_BRIDGE_ENV_DIR set, `<dir>/<stream>.env` (KEY=value lines) is loaded by Node's
 * --env-file when the process starts, so the values do not end up in pm2's dump file.
 * See docs/operations.md.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const ROOT = path.dirname(fileURLToPath(import.meta.url));

export const DEFAULTS = Object.freeze({
  configDir: path.join(ROOT, 'config'),
  stateRoot: path.join(ROOT, 'state'),
  /** reporter.shutdown_flush_ms when the file does not set it. */
  shutdownFlushMs: 8000,
  /** pm2 must wait longer than the flush before SIGKILL: the flush plus time to spool and exit. */
  killMarginMs: 7000,
  minKillTimeoutMs: 15000,
  listenTimeoutMs: 15000,
  maxMemoryRestart: '300M',
  expBackoffRestartDelayMs: 1000,
  /** Exit 78 is a bad config: restarting cannot help. */
  stopExitCodes: [78],
});

const SKIP = [/^example\./, /^emulator/, /^demo\.yaml$/];
const STREAM_NAME = /^[a-z0-9][a-z0-9_-]{0,62}$/;

/** The parsed YAML as a plain object, or {} when it does not parse (`run` will then exit 78 with the details). */
function readYaml(file) {
  try {
    const doc = parse(readFileSync(file, 'utf8'));
    return doc !== null && typeof doc === 'object' ? doc : {};
  } catch {
    return {};
  }
}

/** The pm2 app for one stream config file. */
function appFor(file, env) {
  const doc = readYaml(file);
  const base = path.basename(file, '.yaml');
  const stream = typeof doc.stream === 'string' && STREAM_NAME.test(doc.stream) ? doc.stream : base;
  const flush = typeof doc.reporter?.shutdown_flush_ms === 'number' ? doc.reporter.shutdown_flush_ms : DEFAULTS.shutdownFlushMs;
  const envFile = env.LIVE_BRIDGE_ENV_DIR ? path.resolve(env.LIVE_BRIDGE_ENV_DIR, `${stream}.env`) : undefined;
  return {
    name: `live-bridge-${stream}`,
    script: path.join(ROOT, 'dist/src/cli/main.js'),
    args: ['run', file],
    cwd: ROOT,
    exec_mode: 'fork',
    instances: 1,
    autorestart: true,
    wait_ready: true,
    listen_timeout: DEFAULTS.listenTimeoutMs,
    kill_timeout: Math.max(DEFAULTS.minKillTimeoutMs, flush + DEFAULTS.killMarginMs),
    max_memory_restart: DEFAULTS.maxMemoryRestart,
    exp_backoff_restart_delay: DEFAULTS.expBackoffRestartDelayMs,
    stop_exit_codes: [...DEFAULTS.stopExitCodes],
    node_args: envFile && existsSync(envFile) ? [`--env-file=${envFile}`] : [],
    env: {
      NODE_ENV: 'production',
      // Streams must not share a spool: without state_dir in the file, each gets its own.
      ...(doc.state_dir === undefined
        ? { LIVE_BRIDGE_STATE_DIR: path.join(env.LIVE_BRIDGE_STATE_ROOT || DEFAULTS.stateRoot, stream) }
        : {}),
    },
  };
}

/** The apps for every stream config in the config directory, sorted by file name. */
export function streamApps(env = process.env) {
  const dir = path.resolve(env.LIVE_BRIDGE_CONFIG_DIR || DEFAULTS.configDir);
  const files = existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.yaml') && !SKIP.some((re) => re.test(f)))
        .sort()
    : [];
  const apps = files.map((f) => appFor(path.join(dir, f), env));
  const seen = new Map();
  for (const [i, app] of apps.entries()) {
    if (seen.has(app.name))
      throw new Error(
        `ecosystem.config.js: ${files[seen.get(app.name)]} and ${files[i]} both name stream "${app.name.slice('live-bridge-'.length)}"`,
      );
    seen.set(app.name, i);
  }
  return apps;
}

export const apps = streamApps();
