/**
 * One stream of a process: its own logger, counters, metrics registry (every series labelled
 * with the stream), bridge (sources, pipeline, reporter, spool, sink and job) and health line,
 * all started inside the stream's crash scope. What `run` did for its one stream, now one of many.
 */
import { readFile } from 'node:fs/promises';
import { systemClock, type Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { EventStats } from '../core/stats.js';
import type { RequestObserver } from '../core/status.js';
import type { Pacer } from '../core/pacer.js';
import { startBridge, type Bridge } from '../bridge/bridge.js';
import type { LoadedConfig } from '../config/load.js';
import { rawWarnings } from '../config/raw-warnings.js';
import { configWarnings } from '../config/warnings.js';
import type { Config } from '../config/schema.js';
import { startHealthLine } from '../ops/health-line.js';
import { LatencyWindow } from '../ops/latency.js';
import { createLogger } from '../ops/logger.js';
import { createMetrics } from '../ops/metrics.js';
import { evaluateReadiness, type Readiness } from '../ops/readiness.js';
import type { Redactor } from '../ops/redact.js';
import { takeSnapshot, type StatusSnapshot } from '../ops/snapshot.js';
import type { Registry } from 'prom-client';
import type { PluginRegistry } from '../../adapters/registry.js';
import { inStreamScope } from './containment.js';

/** What every stream of a process shares. */
export interface StreamDeps {
  /** Where log lines go (stdout). */
  out: NodeJS.WritableStream & { isTTY?: boolean };
  /** The process's redactor: every stream's secrets are masked in every line. */
  redactor: Redactor;
  /** The log format of the process (one stdout, one format); the level is each stream's own. */
  logFormat: Config['log']['format'];
  /** Overrides every stream's `log.level` (the demo). */
  logLevel?: Config['log']['level'] | undefined;
  registry?: PluginRegistry | undefined;
  pacer?: Pacer | undefined;
  clock?: Clock;
  /** An uncaught error thrown from this stream's code; true when the fleet takes care of it. */
  crashed(stream: string, error: unknown, kind: 'exception' | 'rejection'): boolean;
}

/** A running stream. */
export interface RunningStream {
  readonly name: string;
  readonly file: string;
  /** The resolved config, as JSON: a reload restarts the stream when it changes. */
  readonly fingerprint: string;
  readonly config: Config;
  readonly logger: Logger;
  /** Its series, every one labelled `stream`. */
  readonly metrics: Registry;
  readonly bridge: Bridge;
  readiness(): Readiness;
  snapshot(): StatusSnapshot;
  /** Stops the sources, flushes within the deadline, spools the rest (idempotent). */
  stop(): Promise<void>;
}

/** The config's identity for reloads: the same resolved values (${ENV} included) mean no restart. */
export function fingerprint(config: Config): string {
  return JSON.stringify(config);
}

/** Starts one stream; rejects (with nothing left running) when its bridge cannot start. */
export async function startStream(loaded: LoadedConfig, deps: StreamDeps): Promise<RunningStream> {
  const config = loaded.config;
  const clock = deps.clock ?? systemClock;
  const startedAt = clock.now();
  deps.redactor.addSecrets(loaded.secrets);
  const logger = createLogger({
    stream: config.stream,
    level: deps.logLevel ?? config.log.level,
    format: deps.logFormat,
    redactor: deps.redactor,
    out: deps.out,
  });
  for (const warning of rawWarnings(await readFile(loaded.file, 'utf8').catch(() => ''), loaded.file)) logger.warn(warning);
  for (const warning of await configWarnings(config, deps.registry)) logger.warn(warning);

  const stats = new EventStats();
  const latency = new LatencyWindow();
  // The views read the bridge once it runs (the health line may tick before startBridge resolves).
  const started: { bridge?: Bridge } = {};
  const views = {
    stream: config.stream,
    stats,
    reporter: () => started.bridge?.reporter() ?? null,
    sources: () => started.bridge?.sources() ?? [],
    sink: () => started.bridge?.sink() ?? { state: 'paused' as const, reason: 'starting' },
    held: () => started.bridge?.held() ?? null,
  };
  // The process's own series (memory, CPU, event loop) are the process registry's, once.
  const metrics = createMetrics({ ...views, defaultMetrics: false });
  const observer: RequestObserver = (o) => {
    metrics.observeRequest(o);
    if (o.operation === 'report') latency.record(o.durationMs);
  };
  // Source reasons quote platform and MetaStudio answers, which may echo a secret.
  const snapshot = () => deps.redactor.redact(takeSnapshot({ ...views, latency, startedAt, now: () => clock.now() })) as StatusSnapshot;

  const scope = {
    stream: config.stream,
    crashed: (error: unknown, kind: 'exception' | 'rejection') => deps.crashed(config.stream, error, kind),
  };
  const { running, health } = await inStreamScope(scope, async () => {
    const running = await startBridge(config, {
      logger,
      observer,
      stats,
      clock,
      out: deps.out,
      registry: deps.registry,
      ...(deps.pacer ? { pacer: deps.pacer } : {}),
      secrets: (value) => deps.redactor.addSecrets([value]),
    });
    started.bridge = running;
    const health = startHealthLine({ intervalMs: config.log.status_interval_ms, clock, logger, snapshot });
    return { running, health };
  });
  let stopping: Promise<void> | undefined;
  return {
    name: config.stream,
    file: loaded.file,
    fingerprint: fingerprint(config),
    config,
    logger,
    metrics: metrics.registry,
    bridge: running,
    readiness: () =>
      deps.redactor.redact(
        evaluateReadiness({ sources: running.sources(), sink: running.sink(), reporter: running.reporter(), now: clock.now() }),
      ) as Readiness,
    snapshot,
    stop: () => {
      stopping ??= (async () => {
        health.stop();
        await running.stop();
      })();
      return stopping;
    },
  };
}
