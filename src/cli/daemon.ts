/**
 * The long-running part shared by `run` and `demo`: logger, metrics, the ops HTTP server, the
 * bridge, the periodic health line, readiness to the supervisor, and an orderly stop when the
 * signal aborts.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { systemClock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { BridgeError, ConfigError, EXIT } from '../core/errors.js';
import { EventStats } from '../core/stats.js';
import type { RequestObserver } from '../core/status.js';
import { startBridge, type Bridge } from '../bridge/bridge.js';
import type { LoadedConfig } from '../config/load.js';
import { rawWarnings } from '../config/raw-warnings.js';
import { configWarnings } from '../config/warnings.js';
import { startHealthLine } from '../ops/health-line.js';
import { LatencyWindow } from '../ops/latency.js';
import { createLogger, writesJson } from '../ops/logger.js';
import { createMetrics } from '../ops/metrics.js';
import { evaluateReadiness, startOpsServer, type OpsServer, type OpsServerOptions, type Readiness } from '../ops/http.js';
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

/** The error codes of a port that cannot be taken (in use, or privileged). */
const PORT_TAKEN = new Set(['EADDRINUSE', 'EACCES']);

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

/** Runs the bridge until `io.signal` aborts; resolves to the exit code. */
export async function runDaemon(loaded: LoadedConfig, io: CommandIO, options: DaemonOptions = {}): Promise<number> {
  const startedAt = Date.now();
  const config = { ...loaded.config };
  // systemd's StateDirectory= and containers point the spool elsewhere without editing the file.
  const stateOverride = io.env.LIVE_BRIDGE_STATE_DIR;
  if (stateOverride) config.state_dir = stateOverride;
  config.state_dir = path.resolve(config.state_dir);

  const redactor = new Redactor();
  redactor.addSecrets(loaded.secrets);
  const logger = createLogger({
    stream: config.stream,
    level: options.logLevel ?? config.log.level,
    format: config.log.format,
    redactor,
    out: io.stdout,
  });
  // The process's own stderr lines follow the log format: JSON when stdout carries JSON.
  if (io.notices) io.notices.json = writesJson(config.log.format, io.stdout);
  for (const warning of rawWarnings(await readFile(loaded.file, 'utf8').catch(() => ''), loaded.file)) logger.warn(warning);
  for (const warning of await configWarnings(config, io.registry)) logger.warn(warning);

  const stats = new EventStats();
  const latency = new LatencyWindow();
  let bridge: Bridge | undefined;
  const views = {
    stream: config.stream,
    stats,
    reporter: () => bridge?.reporter() ?? null,
    sources: () => bridge?.sources() ?? [],
    sink: () => bridge?.sink() ?? { state: 'paused' as const, reason: 'starting' },
  };
  const metrics = createMetrics(views);
  const observer: RequestObserver = (o) => {
    metrics.observeRequest(o);
    if (o.operation === 'report') latency.record(o.durationMs);
  };
  // Source reasons quote platform and MetaStudio answers, which may echo a secret.
  const snapshot = () => redactor.redact(takeSnapshot({ ...views, latency, startedAt })) as StatusSnapshot;

  let ops: OpsServer | undefined;
  if (config.http.listen !== false) {
    const started = await listenOps(
      {
        listen: config.http.listen,
        allowRemote: config.http.allow_remote,
        logger: logger.child({ component: 'http' }),
        // Reasons quote platform and MetaStudio answers, which may echo a secret (a 身份码, a token).
        readiness: () =>
          bridge === undefined
            ? { ready: false, reasons: ['starting'], detail: {} }
            : (redactor.redact(
                evaluateReadiness({ sources: bridge.sources(), sink: bridge.sink(), reporter: bridge.reporter(), now: Date.now() }),
              ) as Readiness),
        metrics: metrics.registry,
        status: snapshot,
      },
      options.listenFallback === true,
      logger,
    );
    if (typeof started === 'number') return started;
    ops = started.ops;
    logger.info('ops server listening', { url: ops.url, ...(started.busy ? { busy: started.busy } : {}) });
    options.onListening?.(ops.url, started.busy);
  }
  // pm2 wait_ready: the config is valid and the HTTP port is listening.
  process.send?.('ready');

  // Every timer of the bridge is unref'd (a finished command must not hang); while the daemon
  // runs, this one handle keeps the process alive even when no socket is open (backoff, polls).
  const keepAlive = setInterval(() => undefined, 2 ** 30);
  let health: { stop(): void } | undefined;
  try {
    bridge = await startBridge(config, {
      logger,
      observer,
      stats,
      out: io.stdout,
      registry: io.registry,
      secrets: (value) => redactor.addSecrets([value]),
    });
    health = startHealthLine({ intervalMs: config.log.status_interval_ms, clock: systemClock, logger, snapshot });
    options.onStarted?.(bridge, snapshot, logger);
    if (!io.signal.aborted) await new Promise<void>((resolve) => io.signal.addEventListener('abort', () => resolve(), { once: true }));
    logger.info('stopping', { reason: String(io.signal.reason instanceof Error ? io.signal.reason.message : io.signal.reason) });
    await bridge.stop();
  } catch (err) {
    // A config problem found while starting (e.g. an auth mode that cannot work) exits 78;
    // anything else is logged here, through the redactor, rather than as a raw stack on stderr.
    if (err instanceof ConfigError) throw err;
    logger.error('the bridge failed', { error: err });
    return EXIT.crash;
  } finally {
    health?.stop();
    clearInterval(keepAlive);
    await ops?.close();
  }
  return 0;
}
