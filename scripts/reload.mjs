#!/usr/bin/env node
/**
 * `npm run reload`: reloads every pm2 app of ecosystem.config.js without ever taking a healthy
 * stream down for a broken config. First every config is checked (`live-bridge check`, with
 * the stream's env file, exactly as the app will start); if any fails, nothing is reloaded.
 * Then the apps are reloaded one at a time: after each, the script waits for the stream's
 * /readyz to answer 200 and pauses before the next; a stream that does not become ready stops
 * the rollout, leaving the others as they were.
 *
 * Usage: npm run reload [-- --only <app>] [--pause-ms N] [--ready-timeout-ms N] [--update-env]
 * Environment: as for pm2 (LIVE_BRIDGE_CONFIG_DIR, LIVE_BRIDGE_ENV_DIR, ...); PM2 names the pm2
 * executable (default `pm2` on PATH).
 * Exit codes: 0 all reloaded and ready, 1 a reload or readiness failed, 78 a config failed check.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { parse } from 'yaml';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MAIN = path.join(ROOT, 'dist/src/cli/main.js');
const ECOSYSTEM = path.join(ROOT, 'ecosystem.config.js');

export const DEFAULTS = Object.freeze({ pauseMs: 5000, readyTimeoutMs: 60_000, pollMs: 500 });

const say = (line) => process.stdout.write(`${line}\n`);
const fail = (line) => process.stderr.write(`reload: ${line}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The /readyz URL of a config's ops server, or undefined when it has none. */
function readyUrl(file) {
  let doc;
  try {
    doc = parse(readFileSync(file, 'utf8')) ?? {};
  } catch {
    return undefined;
  }
  const listen = doc.http?.listen === undefined ? '127.0.0.1:9464' : doc.http.listen;
  if (typeof listen !== 'string') return undefined;
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(listen);
  if (!m || Number(m[3]) === 0) return undefined;
  const host = m[1] ?? m[2];
  // A wildcard bind answers on loopback.
  const reach = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '[::1]' : m[1] ? `[${host}]` : host;
  return `http://${reach}:${m[3]}/readyz`;
}

/** Polls /readyz until 200; resolves to null when ready, else the last reasons seen. */
async function waitReady(url, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      const body = await res.json().catch(() => ({}));
      if (res.status === 200) return null;
      last = Array.isArray(body.reasons) ? body.reasons.join('; ') : `HTTP ${res.status}`;
    } catch (err) {
      last = err?.cause?.code ?? err?.message ?? String(err);
    }
    if (Date.now() >= deadline) return last;
    await sleep(DEFAULTS.pollMs);
  }
}

async function main() {
  const { values } = parseArgs({
    options: {
      only: { type: 'string', multiple: true },
      'pause-ms': { type: 'string' },
      'ready-timeout-ms': { type: 'string' },
      'update-env': { type: 'boolean' },
    },
  });
  const pauseMs = values['pause-ms'] === undefined ? DEFAULTS.pauseMs : Number(values['pause-ms']);
  const readyTimeoutMs = values['ready-timeout-ms'] === undefined ? DEFAULTS.readyTimeoutMs : Number(values['ready-timeout-ms']);
  if (!Number.isInteger(pauseMs) || pauseMs < 0 || !Number.isInteger(readyTimeoutMs) || readyTimeoutMs < 0) {
    fail('--pause-ms and --ready-timeout-ms take whole numbers of milliseconds');
    return 64;
  }

  let apps;
  try {
    ({ apps } = await import(pathToFileURL(ECOSYSTEM).href));
  } catch (err) {
    fail(err.message);
    return 1;
  }
  if (values.only) {
    const unknown = values.only.filter((n) => !apps.some((a) => a.name === n));
    if (unknown.length > 0) {
      fail(`no app ${unknown.join(', ')} in ecosystem.config.js (apps: ${apps.map((a) => a.name).join(', ')})`);
      return 64;
    }
    apps = apps.filter((a) => values.only.includes(a.name));
  }

  // 1. Every config, checked as its app will start (the same env file), before pm2 touches any.
  const broken = [];
  for (const app of apps) {
    const file = app.args[1];
    const r = spawnSync(process.execPath, [...app.node_args, MAIN, 'check', '--quiet', file], {
      cwd: app.cwd,
      env: { ...process.env, ...app.env },
      encoding: 'utf8',
    });
    if (r.status === 0) {
      say(`check ${app.name}: ${file} ok`);
      for (const w of r.stderr.trim().split('\n').filter(Boolean)) say(`  ${w}`);
    } else broken.push({ app, output: `${r.stdout}${r.stderr}`.trim() });
  }
  if (broken.length > 0) {
    for (const b of broken) fail(`check ${b.app.name} failed:\n${b.output}`);
    fail(`nothing reloaded: ${broken.length} of ${apps.length} config(s) fail check`);
    return 78;
  }

  // 2. One app at a time, each ready before the next.
  const pm2 = process.env.PM2 || 'pm2';
  for (const [i, app] of apps.entries()) {
    say(`reload ${app.name} (${i + 1}/${apps.length})`);
    const r = spawnSync(pm2, ['reload', ECOSYSTEM, '--only', app.name, ...(values['update-env'] ? ['--update-env'] : [])], {
      stdio: 'inherit',
      env: process.env,
    });
    const left = apps.slice(i + 1).map((a) => a.name);
    const untouched = left.length > 0 ? `; not reloaded: ${left.join(', ')}` : '';
    if (r.status !== 0) {
      fail(`pm2 reload ${app.name} failed (${r.error ? r.error.message : `exit ${r.status}`})${untouched}`);
      return 1;
    }
    const url = readyUrl(app.args[1]);
    if (url) {
      const why = await waitReady(url, readyTimeoutMs);
      if (why !== null) {
        fail(`${app.name} is not ready after ${readyTimeoutMs} ms (${url}: ${why}); stopping here${untouched}`);
        return 1;
      }
      say(`${app.name} ready`);
    } else {
      say(`${app.name} has no ops server (http.listen: false): not waiting for readiness`);
    }
    if (i < apps.length - 1 && pauseMs > 0) await sleep(pauseMs);
  }
  say(`reloaded ${apps.length} app(s)`);
  return 0;
}

process.exitCode = await main();
