/**
 * The long-running part shared by `run` and `demo`: logger, metrics, the ops HTTP server, the
 * bridge, readiness to the supervisor, and an orderly stop when the signal aborts.
 */
import path from 'node:path';
import type { Logger } from '../core/logger.js';
import { ConfigError, EXIT } from '../core/errors.js';
import { EventStats } from '../core/stats.js';
import { startBridge, type Bridge } from '../bridge/bridge.js';
import type { LoadedConfig } from '../config/load.js';
import { configWarnings } from '../config/warnings.js';
import { createLogger } from '../ops/logger.js';
import { createMetrics } from '../ops/metrics.js';
import { evaluateReadiness, startOpsServer, type Readiness } from '../ops/http.js';
import { Redactor } from '../ops/redact.js';
import type { CommandIO } from './command.js';

/** How a caller other than `run` (the demo) adjusts the daemon. */
export interface DaemonOptions {
  /** Overrides `log.level` (the demo keeps the console for its status line). */
  logLevel?: 'error' | 'warn' | 'info' | 'debug';
  /** Called once the bridge runs, with it; resolves or rejects never matters. */
  onStarted?: (bridge: Bridge, logger: Logger) => void;
}

/** Runs the bridge until `io.signal` aborts; resolves to the exit code. */
export async function runDaemon(loaded: LoadedConfig, io: CommandIO, options: DaemonOptions = {}): Promise<number> {
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
  for (const warning of await configWarnings(config)) logger.warn(warning);

  const stats = new EventStats();
  let bridge: Bridge | undefined;
  const metrics = createMetrics({
    stream: config.stream,
    stats,
    reporter: () => bridge?.reporter() ?? null,
    sources: () => bridge?.sources() ?? [],
    sink: () => bridge?.sink() ?? { state: 'paused', reason: 'starting' },
  });
  const ops =
    config.http.listen === false
      ? undefined
      : await startOpsServer({
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
        });
  if (ops) logger.info('ops server listening', { url: ops.url });
  // pm2 wait_ready: the config is valid and the HTTP port is listening.
  process.send?.('ready');

  // Every timer of the bridge is unref'd (a finished command must not hang); while the daemon
  // runs, this one handle keeps the process alive even when no socket is open (backoff, polls).
  const keepAlive = setInterval(() => undefined, 2 ** 30);
  try {
    bridge = await startBridge(config, { logger, observer: metrics.observeRequest, stats, out: io.stdout });
    options.onStarted?.(bridge, logger);
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
    clearInterval(keepAlive);
    await ops?.close();
  }
  return 0;
}
