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
 *
 * Mistakes are refused here, loudly, before pm2 acts on them (pm2 prints the error):
 * - no stream config at all;
 * - LIVE_BRIDGE_ENV_DIR without a `<stream>.env` for some stream;
 * - a later `pm2 reload` without LIVE_BRIDGE_ENV_DIR: the directory is remembered in
 *   `<state root>/.env-dir` (LIVE_BRIDGE_ENV_DIR= with an empty value forgets it); with none
 *   remembered, a `${VAR}` that the environment does not set is an error, not a restart loop;
 * - two configs on one ops port (or one state_dir).
 * Reload safely with `npm run reload` (scripts/reload.mjs): every config is checked first, then
 * the apps are reloaded one at a time. See docs/operations.md.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
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
/** The ops address a config without `http.listen` gets (src/config/sections/ops.ts). */
const DEFAULT_LISTEN = '127.0.0.1:9464';
/** `${NAME}` or `${NAME:?message}`: a variable the config cannot do without (`${NAME:-x}` has a default). */
const REQUIRED_VAR = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::\?[^}]*)?\}/g;

/** The parsed YAML as a plain object, or {} when it does not parse (`run` will then exit 78 with the details). */
function readYaml(file) {
  try {
    const doc = parse(readFileSync(file, 'utf8'));
    return doc !== null && typeof doc === 'object' ? doc : {};
  } catch {
    return {};
  }
}

/** Every `${VAR}` without a default in the string values of a parsed document. */
function requiredVars(value, out = new Set()) {
  if (typeof value === 'string') for (const m of value.matchAll(REQUIRED_VAR)) out.add(m[1]);
  else if (Array.isArray(value)) for (const v of value) requiredVars(v, out);
  else if (value !== null && typeof value === 'object') for (const v of Object.values(value)) requiredVars(v, out);
  return out;
}

/**
 * The env dir: LIVE_BRIDGE_ENV_DIR when set (and remembered), the remembered one otherwise, so
 * a `pm2 reload` from a shell without the variable does not restart every app without its
 * secrets. An empty LIVE_BRIDGE_ENV_DIR forgets it.
 */
function envDir(env) {
  const memory = path.join(path.resolve(env.LIVE_BRIDGE_STATE_ROOT || DEFAULTS.stateRoot), '.env-dir');
  const given = env.LIVE_BRIDGE_ENV_DIR;
  if (given === undefined) return existsSync(memory) ? readFileSync(memory, 'utf8').trim() || undefined : undefined;
  const dir = given === '' ? '' : path.resolve(given);
  if ((existsSync(memory) ? readFileSync(memory, 'utf8').trim() : '') !== dir) {
    mkdirSync(path.dirname(memory), { recursive: true });
    writeFileSync(memory, `${dir}\n`);
  }
  return dir || undefined;
}

/** The pm2 app for one stream config file. */
function appFor(file, doc, env, dir) {
  const base = path.basename(file, '.yaml');
  const stream = typeof doc.stream === 'string' && STREAM_NAME.test(doc.stream) ? doc.stream : base;
  const flush = typeof doc.reporter?.shutdown_flush_ms === 'number' ? doc.reporter.shutdown_flush_ms : DEFAULTS.shutdownFlushMs;
  const envFile = dir ? path.join(dir, `${stream}.env`) : undefined;
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
    node_args: envFile ? [`--env-file=${envFile}`] : [],
    env: {
      NODE_ENV: 'production',
      // Streams must not share a spool: without state_dir in the file, each gets its own.
      ...(doc.state_dir === undefined
        ? { LIVE_BRIDGE_STATE_DIR: path.join(env.LIVE_BRIDGE_STATE_ROOT || DEFAULTS.stateRoot, stream) }
        : {}),
    },
  };
}

/** The port of a config's ops server, or undefined when it has none (false, port 0, or not literal). */
function opsPort(doc) {
  const listen = doc.http?.listen === undefined ? DEFAULT_LISTEN : doc.http.listen;
  if (typeof listen !== 'string') return undefined;
  const port = Number(/:(\d{1,5})$/.exec(listen)?.[1]);
  return Number.isInteger(port) && port > 0 ? port : undefined;
}

/** Throws when two files share a value of `key` (an app name, an ops port, a state dir). */
function refuseDuplicates(files, values, what) {
  const seen = new Map();
  for (const [i, value] of values.entries()) {
    if (value === undefined) continue;
    if (seen.has(value)) throw new Error(`ecosystem.config.js: ${files[seen.get(value)]} and ${files[i]} ${what(value)}`);
    seen.set(value, i);
  }
}

/** The apps for every stream config in the config directory, sorted by file name. */
export function streamApps(env = process.env) {
  const dir = path.resolve(env.LIVE_BRIDGE_CONFIG_DIR || DEFAULTS.configDir);
  const files = existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.yaml') && !SKIP.some((re) => re.test(f)))
        .sort()
    : [];
  if (files.length === 0) {
    throw new Error(
      `ecosystem.config.js: no stream config in ${dir} (every *.yaml except example.*, emulator* and demo.yaml); ` +
        'put one there or point LIVE_BRIDGE_CONFIG_DIR at your configs',
    );
  }
  const docs = files.map((f) => readYaml(path.join(dir, f)));
  const secretsDir = envDir(env);
  const apps = files.map((f, i) => appFor(path.join(dir, f), docs[i], env, secretsDir));

  refuseDuplicates(
    files,
    apps.map((a) => a.name),
    (name) => `both name stream "${name.slice('live-bridge-'.length)}"`,
  );
  refuseDuplicates(files, docs.map(opsPort), (port) => `both serve their ops server on port ${port}: give each stream its own http.listen`);
  refuseDuplicates(
    files,
    docs.map((d) => (typeof d.state_dir === 'string' ? path.resolve(ROOT, d.state_dir) : undefined)),
    (d) => `share the state_dir ${d}: two streams must not share a spool`,
  );

  if (secretsDir) {
    const missing = apps.map((a) => a.node_args[0]?.slice('--env-file='.length)).filter((f) => f && !existsSync(f));
    if (missing.length > 0) {
      throw new Error(
        `ecosystem.config.js: LIVE_BRIDGE_ENV_DIR=${secretsDir} has no ${missing.map((f) => path.basename(f)).join(', ')} ` +
          `(expected ${missing.join(', ')}; an empty file will do for a stream without secrets)`,
      );
    }
  } else {
    const unset = files.flatMap((f, i) => [...requiredVars(docs[i])].filter((v) => !env[v]).map((v) => `${v} (${f})`));
    if (unset.length > 0) {
      throw new Error(
        `ecosystem.config.js: ${unset.join(', ')} not set and no env dir: start pm2 with LIVE_BRIDGE_ENV_DIR=<dir with <stream>.env files> ` +
          '(it is remembered for later reloads), or export the variables in the shell that runs pm2',
      );
    }
  }
  return apps;
}

export const apps = streamApps();
