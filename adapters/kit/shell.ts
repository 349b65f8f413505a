/**
 * SourceShell: the part of every Source that is not the platform. It carries the identity (the
 * one name formula), one child logger, the injected clock and randomness, the discard counter,
 * a held status whose transitions are deduplicated, and a guarded start(): one run at a time.
 */
import { EventEmitter } from 'node:events';
import { isDeepStrictEqual } from 'node:util';
import type { Clock } from '../../src/core/clock.js';
import { BridgeError } from '../../src/core/errors.js';
import type { BridgeEvent } from '../../src/core/events.js';
import type { Logger } from '../../src/core/logger.js';
import type { Source, SourceEvents, SourceState } from '../../src/core/source.js';
import type { RawFrame } from './capture.js';
import { DiscardReporter } from '../common/discard.js';
import type { KitDeps, SourceIdentity } from './plugin.js';
import type { ReconnectReason } from './vocabulary.js';

/** start() was called while the source was already running: a programming error. */
export class SourceAlreadyStartedError extends BridgeError {
  declare readonly code: 'source_already_started';

  constructor(name: string) {
    super('source_already_started', `source ${name} is already running`);
  }
}

/** What a shell is built from. */
export interface ShellOptions {
  identity: SourceIdentity;
  deps: KitDeps;
  /** The wire the discard log line names (`discarded undecodable <wire> input`); the platform by default. */
  wire?: string;
  /** Extra fields for the child logger (e.g. an app id). */
  logFields?: Record<string, string>;
}

/** The body of a source: follows the room until the signal aborts. */
export type SourceBody = (signal: AbortSignal) => Promise<void>;

/** The shell every kit-built source is. */
export class SourceShell extends EventEmitter<SourceEvents> implements Source {
  readonly name: string;
  readonly platform: string;
  readonly room: string;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly random: () => number;
  readonly deps: KitDeps;
  readonly discards: DiscardReporter;
  #state: SourceState = { state: 'connecting', reason: 'not started' };
  #body: SourceBody | undefined;
  #running: Promise<void> | undefined;

  constructor(options: ShellOptions) {
    super();
    const { identity, deps } = options;
    this.name = identity.name;
    this.platform = identity.platform;
    this.room = identity.room;
    this.deps = deps;
    this.clock = deps.clock;
    this.random = deps.random ?? Math.random;
    this.logger = deps.logger.child({ component: 'source', platform: identity.platform, room: identity.room, ...options.logFields });
    this.discards = new DiscardReporter({
      platform: options.wire ?? identity.platform,
      emit: (d) => this.emit('discard', d),
      logger: this.logger,
      clock: this.clock,
    });
  }

  /** Sets what start() runs; returns the shell, so a factory can end with `return shell.runs(...)`. */
  runs(body: SourceBody): this {
    this.#body = body;
    return this;
  }

  /** The held status: the last state reported. */
  get state(): SourceState {
    return this.#state;
  }

  /** Reports a state unless it equals the held one; true when it was reported. */
  setState(next: SourceState): boolean {
    if (isDeepStrictEqual(next, this.#state)) return false;
    this.#state = next;
    this.emit('state', next);
    return true;
  }

  /** Hands one event to the bridge. */
  event(event: BridgeEvent): void {
    this.emit('event', event);
  }

  /** Announces a (re)connection attempt. */
  reconnect(reason: ReconnectReason): void {
    this.emit('reconnect', { reason });
  }

  /** Counts one piece of undecodable input (logged at most once a minute per reason). */
  discard(reason: string, sample: Uint8Array | string, error?: unknown): void {
    this.discards.report(reason, typeof sample === 'string' ? Buffer.from(sample.slice(0, 512), 'utf8') : sample, error);
  }

  /** Counts one metered upstream call and the units it cost (an API quota), for the metrics. */
  usage(call: string, units: number): void {
    this.emit('usage', { call, units });
  }

  /** Passes a received frame to the recorder, when one listens. */
  record(frame: RawFrame): void {
    this.deps.recorder?.(this.platform, frame);
  }

  /**
   * Runs the body until the signal aborts. One run at a time: a second start() while running
   * rejects with SourceAlreadyStartedError. Resolves once everything the run opened is closed.
   */
  start(signal: AbortSignal): Promise<void> {
    if (this.#running) return Promise.reject(new SourceAlreadyStartedError(this.name));
    const body = this.#body;
    if (!body) return Promise.reject(new TypeError(`source ${this.name} has no body: call runs() in its factory`));
    const running = body(signal).finally(() => {
      this.#running = undefined;
    });
    this.#running = running;
    return running;
  }
}
