/**
 * The long-running part shared by `run` and `demo`: the process logger and metrics, the one ops
 * HTTP server, the connection pacer, the fleet of streams (one or many, each isolated), readiness
 * to the supervisor, reloads on SIGHUP, and an orderly stop when the signal aborts.
 */
import { systemClock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { BridgeError, ConfigError, EXIT } from '../core/errors.js';
import { EventStats } from '../core/stats.js';
import type { Bridge } from '../bridge/bridge.js';
import type { LoadedConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { Fleet, type ApplyResult } from '../fleet/fleet.js';
import type { LoadedStreams, RefusedFile } from '../fleet/load.js';
import { fleetOps, type OpsMode } from '../fleet/ops.js';
import { ConnectPacer } from '../fleet/pacer.js';
import { createProcessMetrics } from '../fleet/process-metrics.js';
import { createLogger, writesJson } from '../ops/logger.js';
import { startOpsServer, type OpsServer, type OpsServerOptions } from '../ops/http.js';
import { parseListen } from '../ops/listen.js';
import { Redactor } from '../ops/redact.js';
import { takeSnapshot, type StatusSnapshot } from '../ops/snapshot.js';
import type { CommandIO } from './command.js';

/** How a caller other than `run` (the demo) adjusts the daemon. */
export interface DaemonOptions {
  /** Overrides `log.level` (the demo keeps the console for its status line). */
  logLevel?: 'error' | 'warn' | 'info' | 'debug';
  /** When the ops port is taken, listen on any free port instead of exiting (the demo). */
  listenFallback?: boolean;
  /** Called once the ops server listens: its URL, and the address it could not take when it fell back. */
  onListening?: (url: string, busy: string | undefined) => void;
  /** Called once the bridge runs, with it and a snapshot reader; resolves or rejects never matters. */
  onStarted?: (bridge: Bridge, snapshot: () => StatusSnapshot, logger: Logger) => void;
}

/** The streams a daemon runs, and how to read them again on a reload. */
export interface StreamSet {
  /** `single`: one file on the command line (single-stream answers); `fleet`: several, or a directory. */
  mode: OpsMode;
  /** Reads the configs (at start, and again at each reload when `reloadable`). */
  load(): Promise<LoadedStreams>;
  reloadable: boolean;
  /** Overrides the first file's http.listen (`run --listen`). */
  listen?: string | undefined;
}

/** The error codes of a port that cannot be taken (in use, or privileged). */
const PORT_TAKEN = new Set(['EADDRINUSE', 'EACCES']);

/** Sections one process has once: with several files the first file's, the others' ignored (warned). */
const PROCESS_WIDE = ['http', 'pacing'] as const;

function listenCode(err: unknown): string | undefined {
  if (!(err instanceof BridgeError) || err.code !== 'http_listen_failed') return undefined;
  return (err.cause as NodeJS.ErrnoException | undefined)?.code ?? 'unknown';
}

/**
 * Starts the ops server. A port that is taken falls back to a free one when allowed; otherwise
 * it is one error line and exit 78 (a supervisor restarting into the same clash helps nobody).
 */
async function listenOps(
  options: OpsServerOptions,
  fallback: boolean,
  logger: Logger,
): Promise<{ ops: OpsServer; busy?: string } | number> {
  try {
    return { ops: await startOpsServer(options) };
  } catch (err) {
    const code = listenCode(err);
    if (code === undefined) throw err;
    if (fallback && PORT_TAKEN.has(code)) {
      const { host } = parseListen(options.listen);
      const at = host.includes(':') ? `[${host}]:0` : `${host}:0`;
      return { ops: await startOpsServer({ ...options, listen: at }), busy: options.listen };
    }
    logger.error(
      `ops server cannot listen on ${options.listen}: ${code === 'EADDRINUSE' ? 'the port is in use (another stream or a previous instance still stopping?); give each stream its own http.listen port' : code}`,
      { code: 'http_listen_failed', cause: code, listen: options.listen },
    );
    return EXIT.config;
  }
}

/** One stderr line per refused file (JSON under a supervisor). */
function reportRefused(refused: readonly RefusedFile[], io: CommandIO, when: 'start' | 'reload'): void {
  for (const r of refused) {
    const what = when === 'start' ? 'not started' : 'not reloaded';
    if (io.notices?.json)
      io.notices.write('error', `stream config refused (${what})`, { code: 'config_invalid', file: r.file, problems: r.problems });
    else io.stderr.write(`live-bridge: stream config refused (${what}): ${r.problems.join('; ')}\n`);
  }
}

/** Warns about process-wide sections another file sets differently from the first. */
function processWideWarnings(streams: readonly LoadedConfig[], first: Config): string[] {
  const out: string[] = [];
  for (const s of streams.slice(1)) {
    for (const key of PROCESS_WIDE) {
      if (JSON.stringify(s.config[key]) !== JSON.stringify(first[key]))
        out.push(`${s.file}: its ${key} section differs from the first file's; one process has one ${key} (the first file's is used)`);
    }
    if (s.config.log.format !== first.log.format) out.push(`${s.file}: log.format differs from the first file's, which the process uses`);
  }
  return out;
}

/** Runs `demo`'s one already loaded stream until `io.signal` aborts; resolves to the exit code. */
export async function runDaemon(loaded: LoadedConfig, io: CommandIO, options: DaemonOptions = {}): Promise<number> {
  const config = { ...loaded.config };
  // systemd's StateDirectory= and containers point the spool elsewhere without editing the file.
  const stateOverride = io.env.LIVE_BRIDGE_STATE_DIR;
  if (stateOverride) config.state_dir = stateOverride;
  return runStreams(
    { mode: 'single', reloadable: false, load: () => Promise.resolve({ streams: [{ ...loaded, config }], refused: [] }) },
    io,
    options,
  );
}

/** Runs a set of streams until `io.signal` aborts; resolves to the exit code. */
export async function runStreams(set: StreamSet, io: CommandIO, options: DaemonOptions = {}): Promise<number> {
  const startedAt = Date.now();
  let loaded = await set.load();
  const first = loaded.streams[0]?.config;
  if (first === undefined) {
    // One file: its problems exactly as before (run-cli prints them, exit 78).
    if (set.mode === 'single') throw new ConfigError(loaded.refused.flatMap((r) => r.problems));
    reportRefused(loaded.refused, io, 'start');
    if (io.notices?.json) io.notices.write('error', 'no valid stream config; nothing to run', { code: 'config_invalid' });
    else io.stderr.write('live-bridge: no valid stream config; nothing to run\n');
    return EXIT.config;
  }
  reportRefused(loaded.refused, io, 'start');

  const redactor = new Redactor();
  const logFormat = first.log.format;
  const logger = createLogger({
    stream: set.mode === 'single' ? first.stream : '*',
    level: options.logLevel ?? first.log.level,
    format: logFormat,
    redactor,
    out: io.stdout,
  });
  // The process's own stderr lines follow the log format: JSON when stdout carries JSON.
  if (io.notices) io.notices.json = writesJson(logFormat, io.stdout);
  for (const warning of processWideWarnings(loaded.streams, first)) logger.warn(warning);

  const pacer = new ConnectPacer(first.pacing, { clock: systemClock });
  const fleet = new Fleet({ logger, out: io.stdout, redactor, logFormat, logLevel: options.logLevel, registry: io.registry, pacer });
  let failed = 0;
  const processRegistry = createProcessMetrics({
    ...(set.mode === 'single' ? { labels: { stream: first.stream } } : {}),
    streams: () => ({ running: fleet.streams().length, refused: loaded.refused.length, failed }),
    pacer: () => pacer.status(),
  });
  const ops = fleetOps({
    mode: set.mode,
    streams: () => fleet.streams(),
    refused: () => loaded.refused,
    process: processRegistry,
    starting: () =>
      redactor.redact(
        takeSnapshot({
          stream: first.stream,
          stats: new EventStats(),
          reporter: () => null,
          sources: () => [],
          sink: () => ({ state: 'paused', reason: 'starting' }),
          startedAt,
        }),
      ) as StatusSnapshot,
  });

  let server: OpsServer | undefined;
  const listen = set.listen ?? first.http.listen;
  if (listen !== false) {
    const started = await listenOps(
      {
        listen,
        allowRemote: first.http.allow_remote,
        logger: logger.child({ component: 'http' }),
        health: ops.health,
        // Reasons quote platform and MetaStudio answers, which may echo a secret (a 身份码, a token).
        readiness: ops.readiness,
        metrics: ops.metrics,
        status: ops.status,
      },
      options.listenFallback === true,
      logger,
    );
    if (typeof started === 'number') return started;
    server = started.ops;
    logger.info('ops server listening', { url: server.url, ...(started.busy ? { busy: started.busy } : {}) });
    options.onListening?.(server.url, started.busy);
  }
  // pm2 wait_ready: the config is valid and the HTTP port is listening.
  process.send?.('ready');

  const logApplied = (result: ApplyResult, when: 'start' | 'reload') => {
    failed = result.failed.length;
    for (const f of result.failed) logger.error('stream cannot start', { stream: f.stream, error: f.reason });
    if (set.mode === 'fleet' || when === 'reload') {
      const { failed: _failed, ...names } = result;
      logger.info(when === 'start' ? 'streams started' : 'streams reloaded', { ...names, failed: result.failed.map((f) => f.stream) });
    }
  };

  // Every timer of the bridge is unref'd (a finished command must not hang); while the daemon
  // runs, this one handle keeps the process alive even when no socket is open (backoff, polls).
  const keepAlive = setInterval(() => undefined, 2 ** 30);
  let unsubscribe: (() => void) | undefined;
  try {
    const result = await fleet.apply(loaded);
    const only = result.failed[0];
    if (set.mode === 'single' && only) {
      // One stream: a config problem found while starting (an auth mode that cannot work) exits 78;
      // anything else is logged, through the redactor, rather than as a raw stack on stderr.
      if (only.error instanceof ConfigError) throw only.error;
      logger.error('the bridge failed', { error: only.error });
      return EXIT.crash;
    }
    logApplied(result, 'start');
    if (fleet.streams().length === 0) return result.failed.every((f) => f.error instanceof ConfigError) ? EXIT.config : EXIT.crash;
    const one = fleet.streams()[0];
    if (one) options.onStarted?.(one.bridge, one.snapshot, one.logger);

    if (set.reloadable && io.reloads) {
      let reloading: Promise<void> = Promise.resolve();
      unsubscribe = io.reloads.on(() => {
        reloading = reloading.then(async () => {
          if (io.signal.aborted) return;
          try {
            const next = await set.load();
            reportRefused(next.refused, io, 'reload');
            const nextFirst = next.streams[0]?.config;
            if (nextFirst) {
              for (const key of PROCESS_WIDE)
                if (JSON.stringify(nextFirst[key]) !== JSON.stringify(first[key]))
                  logger.warn(`the ${key} section changed: it takes a restart, not a reload`);
              for (const warning of processWideWarnings(next.streams, first)) logger.warn(warning);
            }
            loaded = next;
            logApplied(await fleet.apply(next), 'reload');
          } catch (err) {
            logger.error('reload failed; the running streams are unchanged', { error: err });
          }
        });
      });
    }
    if (!io.signal.aborted) await new Promise<void>((resolve) => io.signal.addEventListener('abort', () => resolve(), { once: true }));
    logger.info('stopping', { reason: String(io.signal.reason instanceof Error ? io.signal.reason.message : io.signal.reason) });
    unsubscribe?.();
    await fleet.stop();
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    logger.error('the bridge failed', { error: err });
    return EXIT.crash;
  } finally {
    unsubscribe?.();
    clearInterval(keepAlive);
    await fleet.stop();
    await server?.close();
  }
  return 0;
}
