/**
 * The Source contract every platform adapter implements (adapters/<platform>/).
 *
 * A Source connects, decodes, maps to BridgeEvent and keeps reconnecting until its signal
 * aborts. It owns its heartbeat, acks, watchdog and backoff. Everything it needs from outside
 * (clock, HTTP, WebSocket factory, upstream URLs) is injected so tests run it against local fakes.
 */
import type { EventEmitter } from 'node:events';
import type { BridgeEvent } from './events.js';
import type { Clock } from './clock.js';
import type { Logger } from './logger.js';

/** Where a source stands. `reason` says why, in words an operator can act on. */
export type SourceState =
  | { state: 'connecting'; reason?: string }
  | { state: 'live'; roomId?: string; title?: string }
  | { state: 'offline'; reason: string }
  | { state: 'ended'; reason: string }
  | { state: 'blocked'; reason: string }
  | { state: 'error'; reason: string; code?: string };
/** A source state's name alone, as readiness checks compare it. */
export type SourceStateName = SourceState['state'];
/** Every state name, in the order of a source's life; metrics export one gauge per name. */
export const SOURCE_STATES = ['connecting', 'live', 'offline', 'ended', 'blocked', 'error'] as const satisfies readonly SourceStateName[];

/**
 * Input the source received but could not turn into events (malformed frame, corrupt gzip,
 * unknown shape). Counted by reason; never a crash, never silent.
 */
export interface SourceDiscard {
  /** A snake_case token (`malformed_frame`, `inflated_too_large`, ...), a metrics label value. */
  reason: string;
  count?: number;
}

/**
 * One metered upstream call (a Data API request and its quota units, a sign-server call): `call`
 * is a snake_case token, `units` what it cost (0 for a free one). Counted per source and call.
 */
export interface SourceUsage {
  call: string;
  units: number;
}

/** Events a Source emits, as tuples for node's typed EventEmitter. */
export interface SourceEvents {
  event: [BridgeEvent];
  state: [SourceState];
  discard: [SourceDiscard];
  usage: [SourceUsage];
  /** A (re)connection attempt started, with why, a snake_case token: `initial`, `stall`, `closed`, `new_broadcast`, ... */
  reconnect: [{ reason: string }];
}

/** One live room (or a simulated or replayed one) feeding the bridge. */
export interface Source extends EventEmitter<SourceEvents> {
  /** The configured source name; stamped on every event as `source`. */
  readonly name: string;
  readonly platform: string;
  /**
   * Connects and keeps the room followed until `signal` aborts. Resolves once the source has
   * closed everything it opened. It never rejects for a network or platform failure: those
   * become states and reconnects. It rejects only for a programming error.
   */
  start(signal: AbortSignal): Promise<void>;
}

/** What every source factory receives besides its own config section. */
export interface SourceDeps {
  logger: Logger;
  clock: Clock;
  /** Where the source may keep state (browser profiles, gift tables): the stream's state_dir. */
  stateDir: string;
  /**
   * Registers a credential the source obtained at run time (a cookie a sign server or a login
   * set, a token) the moment it is received, so no log line, error or /readyz answer shows it.
   */
  secrets?: (value: string) => void;
}
