/**
 * The streams of one process, kept apart: each is started, stopped and restarted on its own.
 * `apply` brings the running set to a freshly loaded one: new streams start, streams whose
 * file is gone stop, streams whose resolved config changed restart (stop, which spools what it
 * could not send, then start, which replays it), and unchanged streams are not touched. A file
 * that became invalid keeps its stream running on the config it had. A stream whose code throws
 * an uncaught error (see containment.ts) is restarted alone, after a growing pause.
 */
import { pause, systemClock, type Clock } from '../core/clock.js';
import { ConfigError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { LoadedConfig } from '../config/load.js';
import { outsideStreams } from './containment.js';
import type { LoadedStreams } from './load.js';
import { fingerprint, startStream, type RunningStream, type StreamDeps } from './stream.js';

/** Crash restarts: the first after `crashRestartMs`, doubling to `crashRestartMaxMs`. */
export const DEFAULTS = { crashRestartMs: 1_000, crashRestartMaxMs: 60_000, crashStopMs: 10_000 } as const;

/** What one apply did, by stream name. */
export interface ApplyResult {
  added: string[];
  removed: string[];
  restarted: string[];
  unchanged: string[];
  /** Streams that could not start (logged), with the reason. */
  failed: { stream: string; reason: string; error: unknown }[];
  /** Streams kept on their previous config because their file was refused. */
  kept: string[];
}

/** What the fleet needs besides the streams' own deps. */
export interface FleetDeps extends Omit<StreamDeps, 'crashed'> {
  /** The process's logger (fleet-level lines: reloads, crashes). */
  logger: Logger;
  clock?: Clock;
}

/** The running streams of a process. */
export class Fleet {
  readonly #deps: FleetDeps;
  readonly #clock: Clock;
  readonly #running = new Map<string, RunningStream>();
  /** What the last apply asked for, by stream name (a crash restart starts what is wanted now). */
  readonly #desired = new Map<string, LoadedConfig>();
  /** Crashes per stream, for the restart pause. */
  readonly #crashes = new Map<string, number>();
  /** Stream names being restarted after a crash (a second crash meanwhile is the same one). */
  readonly #restarting = new Set<string>();
  readonly #stopped = new AbortController();
  /** apply() and crash restarts one at a time: two reloads must not race on one stream. */
  #chain: Promise<unknown> = Promise.resolve();

  constructor(deps: FleetDeps) {
    this.#deps = deps;
    this.#clock = deps.clock ?? systemClock;
  }

  /** The running streams, in start order. */
  streams(): RunningStream[] {
    return [...this.#running.values()];
  }

  /** Brings the running set to `loaded` (see the module comment). */
  apply(loaded: LoadedStreams): Promise<ApplyResult> {
    const next = this.#chain.then(() => this.#apply(loaded));
    this.#chain = next.catch(() => undefined);
    return next;
  }

  /** Stops every stream (in parallel; each flushes and spools on its own). */
  async stop(): Promise<void> {
    this.#stopped.abort(new Error('fleet stopping'));
    await this.#chain;
    const streams = this.streams();
    this.#running.clear();
    await Promise.all(streams.map((s) => s.stop()));
  }

  async #apply(loaded: LoadedStreams): Promise<ApplyResult> {
    const result: ApplyResult = { added: [], removed: [], restarted: [], unchanged: [], failed: [], kept: [] };
    const wanted = new Map(loaded.streams.map((s) => [s.config.stream, s]));
    const refusedFiles = new Set(loaded.refused.map((r) => r.file));
    for (const name of [...this.#desired.keys()]) {
      const file = this.#desired.get(name)?.file;
      if (!wanted.has(name) && !(file !== undefined && refusedFiles.has(file))) this.#desired.delete(name);
    }
    for (const [name, config] of wanted) this.#desired.set(name, config);
    const work: Promise<void>[] = [];
    for (const [name, stream] of this.#running) {
      if (wanted.has(name)) continue;
      if (refusedFiles.has(stream.file)) {
        result.kept.push(name);
        continue;
      }
      result.removed.push(name);
      this.#running.delete(name);
      work.push(stream.stop());
    }
    for (const [name, config] of wanted) {
      const current = this.#running.get(name);
      if (current && current.fingerprint === fingerprint(config.config)) {
        result.unchanged.push(name);
        continue;
      }
      (current ? result.restarted : result.added).push(name);
      work.push(
        (async () => {
          if (current) {
            this.#running.delete(name);
            await current.stop();
          }
          const failure = await this.#start(config);
          if (failure !== undefined) result.failed.push({ stream: name, ...failure });
        })(),
      );
    }
    await Promise.all(work);
    return result;
  }

  /** Starts one stream and adds it; why not when it cannot start. */
  async #start(loaded: LoadedConfig): Promise<{ reason: string; error: unknown } | undefined> {
    try {
      const stream = await startStream(loaded, { ...this.#deps, crashed: (name, error, kind) => this.#crashed(name, error, kind) });
      if (this.#stopped.signal.aborted) {
        await stream.stop();
        return { reason: 'the process is stopping', error: undefined };
      }
      this.#running.set(stream.name, stream);
      return undefined;
    } catch (err) {
      // The caller logs it: `run` with one file keeps its old exit codes, a fleet goes on without the stream.
      return {
        reason: err instanceof ConfigError ? err.problems.join('; ') : err instanceof Error ? err.message : String(err),
        error: err,
      };
    }
  }

  /** An uncaught error of one stream: log it there, and restart that stream alone. */
  #crashed(name: string, error: unknown, kind: 'exception' | 'rejection'): boolean {
    if (this.#stopped.signal.aborted) return false;
    if (this.#restarting.has(name)) return true;
    const stream = this.#running.get(name);
    if (!stream) return false;
    const crashes = (this.#crashes.get(name) ?? 0) + 1;
    this.#crashes.set(name, crashes);
    const delayMs = Math.min(DEFAULTS.crashRestartMaxMs, DEFAULTS.crashRestartMs * 2 ** (crashes - 1));
    stream.logger.error(`uncaught ${kind} in this stream; restarting it alone`, { error, crashes, delayMs });
    this.#restarting.add(name);
    this.#running.delete(name);
    outsideStreams(() => {
      void (async () => {
        try {
          // A stream in a broken state may never finish stopping; the restart goes on without it.
          await Promise.race([stream.stop().catch(() => undefined), pause(this.#clock, DEFAULTS.crashStopMs, this.#stopped.signal)]);
          if (!(await pause(this.#clock, delayMs, this.#stopped.signal))) return;
          const restart = this.#chain.then(async () => {
            // A reload meanwhile may have removed the stream, or started it again.
            const wanted = this.#desired.get(name);
            if (!wanted || this.#running.has(name) || this.#stopped.signal.aborted) return;
            const failure = await this.#start(wanted);
            if (failure === undefined) this.#deps.logger.info('stream restarted after a crash', { stream: name, crashes });
            else this.#deps.logger.error('stream cannot start again after a crash', { stream: name, error: failure.reason });
          });
          this.#chain = restart.catch(() => undefined);
          await restart;
        } catch (err) {
          this.#deps.logger.error('restarting a crashed stream failed', { stream: name, error: err });
        } finally {
          this.#restarting.delete(name);
        }
      })();
    });
    return true;
  }
}
