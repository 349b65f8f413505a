/**
 * The one lifecycle loop every source follows: resolve the room → connect → on the session's end,
 * look up what to do in the recovery table (reconnect, resolve again, retry slowly, poll until
 * the next broadcast, or give up) → wait (full-jitter backoff, a jittered slow retry or status
 * poll, or what the server asked for) → again, until the signal aborts. One counter decides when
 * to go back to resolving after sessions that never worked. Every lookup and connect first waits
 * for the process's pacer (KitDeps.pacer), so many sources starting at once open no burst.
 */
import { fullJitterBackoff, pause } from '../../src/core/clock.js';
import type { PacedCall } from '../../src/core/pacer.js';
import type { Source } from '../../src/core/source.js';
import { sourceIdentity, type KitDeps, type ProbeResult, type SourceConfigBase, type SourceNaming } from './plugin.js';
import type { SessionResult, SessionStop } from './session.js';
import { SourceShell, type ShellOptions } from './shell.js';
import { RECOVERY, type ReconnectReason, type Recovery, type SessionEndKind } from './vocabulary.js';

/** What resolving the room found. */
export type Resolution<T> =
  | { kind: 'live'; target: T }
  | { kind: 'offline' | 'not_found'; reason: string }
  | { kind: 'blocked'; reason: string; retryAfterMs?: number };

/**
 * A probe from a connector's resolve(): the room looked up once; a live target is released at
 * once (nothing is connected). `describe` says what was found (a title, the broadcast id), or
 * judges the target itself (a platform whose resolve() succeeds for an offline room too).
 */
export async function probeConnector<T>(
  connector: Connector<T>,
  signal: AbortSignal,
  describe: (target: T) => string | ProbeResult,
): Promise<ProbeResult> {
  const found = await connector.resolve(signal);
  if (found.kind !== 'live') return { state: found.kind, reason: found.reason };
  await connector.release?.(found.target);
  const said = describe(found.target);
  return typeof said === 'string' ? { state: 'live', detail: said } : said;
}

/** Why connect() is called: the reconnect reason, and where a `moved` session said to go. */
export interface ConnectAttempt {
  reason: ReconnectReason;
  /** The URL a `moved` end named (EventSub's reconnect_url), for this attempt only. */
  url?: string;
}

/**
 * The platform's steps. Only resolve and connect are required; a throw from either is an `error`
 * state (with the error's `code`) and a backoff, never a crash.
 */
export interface Connector<T> {
  /** Finds the current broadcast: live (with what connect needs), offline, not found or blocked. */
  resolve(signal: AbortSignal): Promise<Resolution<T>>;
  /** Runs one session against the target until it ends. */
  connect(target: T, signal: AbortSignal, attempt: ConnectAttempt): Promise<SessionResult>;
  /** The target is dropped (resolving again, stopping): end an app session, stop its heartbeat. */
  release?(target: T): Promise<void> | void;
  /** Work for the source's whole run (a gift list refresh), started before the first resolve. */
  open?(signal: AbortSignal): void;
  /** Undoes open() once the loop is over. */
  close?(): Promise<void> | void;
}

/** The timing and table a source follows. */
export interface LifecyclePolicy {
  /** Reconnect backoff: full jitter over base·2^failures, capped. */
  backoff: { baseMs: number; maxMs: number };
  /** The wait after a refusal (blocked), unless the end or resolution names its own. */
  slowRetryMs: number;
  /** The status poll while offline or after the broadcast ended. */
  pollMs: number;
  /** The poll's floor (platforms ban fast pollers); 1 ms by default. */
  minPollMs?: number;
  /** ±fraction applied to slow retries and polls (0.2 by default; 0 for exact waits). */
  jitter?: number;
  /** Sessions in a row that never worked before the room is resolved again (`recheck`). */
  recheckAfterFailures: number;
  /** Rows of the recovery table this source answers differently. */
  recovery?: Partial<Record<SessionEndKind, Recovery>>;
}

const DEFAULTS = { jitter: 0.2 } as const;

function errorCode(err: unknown, fallback: string): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : fallback;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The reconnect reason a session end leads to. */
function reasonFor(kind: SessionEndKind): ReconnectReason {
  switch (kind) {
    case 'blocked':
      return 'blocked_retry';
    case 'ended':
      return 'new_broadcast';
    case 'fatal':
      return 'restart';
    default:
      return kind;
  }
}

/** Follows the room until `signal` aborts (or a `fatal` end). Never rejects for a platform failure. */
export async function follow<T>(shell: SourceShell, connector: Connector<T>, policy: LifecyclePolicy, signal: AbortSignal): Promise<void> {
  const jitter = policy.jitter ?? DEFAULTS.jitter;
  const jittered = (ms: number, floor = 1) => Math.max(floor, Math.round(ms * (1 - jitter + 2 * jitter * shell.random())));
  /** Consecutive failures: the backoff exponent. */
  let failures = 0;
  /** Sessions in a row that never worked: at recheckAfterFailures the room is resolved again. */
  let unhealthy = 0;
  const backoff = () => fullJitterBackoff(failures++, policy.backoff.baseMs, policy.backoff.maxMs, shell.random);
  let target: { value: T } | undefined;
  let pending: ReconnectReason | undefined = 'initial';
  /** The reason of the attempt under way, for connect(). */
  let attemptReason: ReconnectReason = 'initial';
  let movedTo: string | undefined;

  const drop = async () => {
    const current = target;
    target = undefined;
    if (!current || !connector.release) return;
    try {
      await connector.release(current.value);
    } catch (err) {
      shell.logger.warn('releasing the session failed', { error: message(err) });
    }
  };
  /** Announces an attempt; the state says `connecting` unless it already says why. */
  const announce = () => {
    const reason = pending;
    pending = undefined;
    if (!reason) return;
    attemptReason = reason;
    shell.reconnect(reason);
    if (shell.state.state !== 'connecting' || reason === 'initial') shell.setState({ state: 'connecting', reason });
  };

  /** Waits for the process-wide pacer (a reload of many streams must not open a burst); false on abort. */
  const paced = async (call: PacedCall): Promise<boolean> => {
    if (!shell.deps.pacer) return true;
    try {
      await shell.deps.pacer.acquire(shell.platform, call, signal);
      return true;
    } catch {
      return false;
    }
  };

  connector.open?.(signal);
  try {
    while (!signal.aborted) {
      announce();
      if (!target) {
        if (!(await paced('resolve'))) break;
        let found: Resolution<T>;
        try {
          found = await connector.resolve(signal);
        } catch (err) {
          if (signal.aborted) break;
          shell.setState({ state: 'error', reason: message(err), code: errorCode(err, 'resolve_failed') });
          const delayMs = backoff();
          shell.logger.warn('room lookup failed', { error: message(err), code: errorCode(err, 'resolve_failed'), delayMs });
          pending = 'resolve_failed';
          if (!(await pause(shell.clock, delayMs, signal))) break;
          continue;
        }
        if (found.kind === 'blocked') {
          shell.logger.warn('the platform refused the room lookup', { reason: found.reason });
          shell.setState({ state: 'blocked', reason: found.reason });
          pending = 'blocked_retry';
          if (!(await pause(shell.clock, jittered(found.retryAfterMs ?? policy.slowRetryMs), signal))) break;
          continue;
        }
        if (found.kind !== 'live') {
          shell.setState({ state: 'offline', reason: found.reason });
          if (!(await pause(shell.clock, jittered(policy.pollMs, policy.minPollMs), signal))) break;
          continue;
        }
        target = { value: found.target };
      }

      if (!(await paced('connect'))) break;
      let result: SessionResult;
      try {
        result = await connector.connect(target.value, signal, { reason: attemptReason, url: movedTo });
      } catch (err) {
        if (signal.aborted) break;
        unhealthy += 1;
        const code = errorCode(err, 'connect_failed');
        shell.setState({ state: 'error', reason: message(err), code });
        const delayMs = backoff();
        shell.logger.warn('cannot connect', { error: message(err), code, delayMs });
        if (unhealthy >= policy.recheckAfterFailures) {
          unhealthy = 0;
          await drop();
          pending = 'recheck';
        } else pending = 'connect_failed';
        if (!(await pause(shell.clock, delayMs, signal))) break;
        continue;
      } finally {
        movedTo = undefined;
      }
      if (result.healthy) {
        failures = 0;
        unhealthy = 0;
      } else unhealthy += 1;
      const end = result.end;
      if (end.kind === 'aborted') break;
      if (!(await recover(end))) break;
    }
  } finally {
    await drop();
    await connector.close?.();
  }

  /** Applies the recovery table to one end; false when the loop must stop. */
  async function recover(end: SessionStop): Promise<boolean> {
    const recovery = policy.recovery?.[end.kind] ?? RECOVERY[end.kind];
    const detail = { kind: end.kind, reason: end.reason, ...(end.code === undefined ? {} : { code: end.code }) };
    switch (recovery) {
      case 'fatal':
        shell.logger.error('the session cannot continue; stopping this source', detail);
        shell.setState({ state: 'error', reason: end.reason, code: typeof end.code === 'string' ? end.code : 'session_fatal' });
        return false;
      case 'poll':
        shell.logger.info('broadcast ended', detail);
        shell.setState({ state: 'ended', reason: end.reason });
        await drop();
        pending = 'new_broadcast';
        return pause(shell.clock, jittered(policy.pollMs, policy.minPollMs), signal);
      case 'slow_retry': {
        shell.logger.warn('the platform refused the session', detail);
        shell.setState({ state: 'blocked', reason: end.reason });
        pending = 'blocked_retry';
        return pause(shell.clock, jittered(end.retryAfterMs ?? policy.slowRetryMs), signal);
      }
      case 'resolve':
      case 'reconnect': {
        const again = recovery === 'resolve' || unhealthy >= policy.recheckAfterFailures;
        pending = recovery === 'reconnect' && again ? 'recheck' : reasonFor(end.kind);
        if (again) {
          unhealthy = 0;
          await drop();
        }
        if (end.kind === 'moved') movedTo = end.url;
        const delayMs = end.kind === 'moved' ? 0 : (end.retryAfterMs ?? backoff());
        shell.logger.info(again ? 'session ended; resolving the room again' : 'session ended; reconnecting', { ...detail, delayMs });
        shell.setState(
          end.kind === 'crashed'
            ? { state: 'error', reason: end.reason, code: typeof end.code === 'string' ? end.code : 'session_crashed' }
            : { state: 'connecting', reason: `${end.kind}: ${end.reason}` },
        );
        return pause(shell.clock, delayMs, signal);
      }
    }
  }
}

/**
 * The usual factory body in one call: a shell named by the one formula, the platform's connector
 * built on it, and the lifecycle as its run.
 */
export function followingSource<C extends SourceConfigBase, T>(
  naming: SourceNaming<C>,
  config: C,
  deps: KitDeps,
  connectorFor: (shell: SourceShell) => Connector<T>,
  policy: LifecyclePolicy,
  shellOptions: Pick<ShellOptions, 'wire' | 'logFields'> = {},
): Source {
  const shell = new SourceShell({ identity: sourceIdentity(naming, config), deps, ...shellOptions });
  const connector = connectorFor(shell);
  return shell.runs((signal) => follow(shell, connector, policy, signal));
}
