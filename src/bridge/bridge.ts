/**
 * The bridge of one stream: sources → pipeline → reporter → sink, wired once and stopped in
 * order. Data flows one way; only BridgeEvents cross from the sources into the pipeline.
 */
import path from 'node:path';
import { sleep, systemClock, type Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { Pacer } from '../core/pacer.js';
import type { Sink } from '../core/sink.js';
import type { Source } from '../core/source.js';
import { EventStats, type KindCounts } from '../core/stats.js';
import type { ReporterStatus, RequestObserver, SourceStatus } from '../core/status.js';
import type { Config } from '../config/schema.js';
import { createSink } from '../metastudio/index.js';
import { createPipeline } from '../pipeline/index.js';
import { createReporter } from '../reporter/index.js';
import { registry as builtins, type PluginRegistry } from '../../adapters/registry.js';
import { createSource } from './sources.js';
import { trackSource } from './tracker.js';

const DEFAULTS = {
  /** How long stop() waits for sources to close before it starts the final flush. */
  sourceStopGraceMs: 1000,
} as const;

/** What startBridge takes besides the config; only the logger is required. */
export interface BridgeDeps {
  logger: Logger;
  clock?: Clock;
  /** Receives every HTTP exchange with MetaStudio (the metrics registry). */
  observer?: RequestObserver;
  /** Where the dry-run sink prints (stdout by default). */
  out?: NodeJS.WritableStream;
  /** The counters to fill; created here when not given (the metrics registry reads them). */
  stats?: EventStats;
  /** The platforms sources may name (the built-ins by default). */
  registry?: PluginRegistry;
  /** Registers a credential obtained at run time with the process's redactor (see SourceDeps.secrets). */
  secrets?: (value: string) => void;
  /** The process's connection pacer, shared by every stream (unpaced when absent). */
  pacer?: Pacer;
}

/** A running bridge. */
export interface Bridge {
  readonly stats: EventStats;
  sources(): SourceStatus[];
  reporter(): ReporterStatus;
  sink(): ReturnType<Sink['status']>;
  /** Events held in open gift streaks and like windows, by type (see Pipeline.held). */
  held(): KindCounts;
  /** Stops sources, closes open gift streaks, flushes within the deadline, spools the rest. */
  stop(): Promise<void>;
}

/** Starts the bridge for a validated config. Resolves once every source has been started. */
export async function startBridge(config: Config, deps: BridgeDeps): Promise<Bridge> {
  const clock = deps.clock ?? systemClock;
  const logger = deps.logger;
  const stats = deps.stats ?? new EventStats();
  const stateDir = path.resolve(config.state_dir);
  const registry = deps.registry ?? builtins;
  // Sources stop first; the sink keeps following its job until the final flush is done.
  const abort = new AbortController();
  const sinkAbort = new AbortController();

  const sink = createSink(config.metastudio, {
    logger: logger.child({ component: 'metastudio' }),
    clock,
    observer: deps.observer,
    out: deps.out,
    ...(deps.secrets ? { secrets: deps.secrets } : {}),
  });
  const reporter = createReporter(
    { ...config.reporter, state_dir: stateDir },
    { sink, clock, logger: logger.child({ component: 'reporter' }), stats },
  );
  const pipeline = createPipeline(
    { pipeline: config.pipeline, filters: config.filters },
    { clock, logger: logger.child({ component: 'pipeline' }), stats, emit: (event) => reporter.enqueue(event) },
  );

  await sink.start(sinkAbort.signal);
  await reporter.start();

  const sources: { source: Source; status: () => SourceStatus; done: Promise<void> }[] = [];
  for (const sourceConfig of config.sources) {
    const { platform, room, name } = registry.identity(sourceConfig);
    const sourceLogger = logger.child({ component: 'source', platform, room, source: name });
    const source = await createSource(
      sourceConfig,
      { logger, clock, stateDir, ...(deps.secrets ? { secrets: deps.secrets } : {}), ...(deps.pacer ? { pacer: deps.pacer } : {}) },
      registry,
    );
    const status = trackSource(source, room, { clock, logger: sourceLogger, stats });
    source.on('event', (event) => pipeline.push(event));
    const done = source.start(abort.signal).catch((err: unknown) => {
      // A source only rejects on a bug; keep the others running and make it visible.
      sourceLogger.error('source failed', { error: err });
      source.emit('state', { state: 'error', reason: err instanceof Error ? err.message : String(err), code: 'source_crashed' });
    });
    sources.push({ source, status, done });
  }
  logger.info('bridge started', { sources: sources.map((s) => s.source.name), job: config.metastudio.job_id });

  let stopping: Promise<void> | undefined;
  return {
    stats,
    sources: () => sources.map((s) => s.status()),
    reporter: () => reporter.status(),
    sink: () => sink.status(),
    held: () => pipeline.held(),
    stop: () => {
      stopping ??= (async () => {
        abort.abort(new Error('bridge stopping'));
        // A source may need a while to say goodbye (Bilibili's app/end call); its events stop at
        // once, so the flush starts after a short grace and the goodbye finishes alongside it,
        // keeping the whole stop within the supervisor's kill timeout.
        const sourcesDone = Promise.all(sources.map((s) => s.done));
        await Promise.race([sourcesDone, sleep(clock, DEFAULTS.sourceStopGraceMs)]);
        pipeline.flush();
        pipeline.close();
        await Promise.all([reporter.stop(), sourcesDone]);
        sinkAbort.abort(new Error('bridge stopping'));
        await sink.close();
        logger.info('bridge stopped');
      })();
      return stopping;
    },
  };
}
