/**
 * The lifecycle loop against a scripted connector on the manual clock: each row of the recovery
 * table, the full-jitter backoff and its reset, the one "resolve again" counter, waits the server
 * names, moves, and failures that are states, never rejections.
 */
import { describe, expect, it } from 'vitest';
import { follow, type ConnectAttempt, type Connector, type LifecyclePolicy, type Resolution } from '../../../adapters/kit/lifecycle.js';
import type { SessionResult, SessionStop } from '../../../adapters/kit/session.js';
import { SourceShell } from '../../../adapters/kit/shell.js';
import type { SourceState } from '../../../src/core/source.js';
import { ManualClock } from '../../helpers/clock.js';
import { captureLogger } from '../../helpers/logger.js';
import { waitFor } from '../../helpers/wait.js';

const POLICY: LifecyclePolicy = {
  backoff: { baseMs: 1_000, maxMs: 60_000 },
  slowRetryMs: 300_000,
  pollMs: 60_000,
  recheckAfterFailures: 3,
};

type Step = Resolution<string> | Error;
type Session = { end: SessionStop; healthy?: boolean } | Error;

/** A connector that plays a script: what each resolve and each connect returns, in order. */
class Script implements Connector<string> {
  readonly log: string[] = [];
  readonly attempts: ConnectAttempt[] = [];
  constructor(
    private readonly resolutions: Step[],
    private readonly sessions: Session[],
  ) {}

  async resolve(): Promise<Resolution<string>> {
    const next = this.resolutions.shift() ?? { kind: 'live', target: 'room' };
    this.log.push(`resolve:${next instanceof Error ? 'throw' : next.kind}`);
    if (next instanceof Error) throw next;
    return next;
  }

  async connect(target: string, signal: AbortSignal, attempt: ConnectAttempt): Promise<SessionResult> {
    this.attempts.push(attempt);
    const next = this.sessions.shift();
    this.log.push(`connect:${target}`);
    if (next instanceof Error) throw next;
    if (next) return { end: next.end, healthy: next.healthy ?? false, frames: 0 };
    // Out of script: hold the session until the source stops.
    await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    return { end: { kind: 'aborted' }, healthy: false, frames: 0 };
  }

  release(target: string): void {
    this.log.push(`release:${target}`);
  }
}

function run(connector: Script, policy: LifecyclePolicy = POLICY, random = 0.5) {
  const clock = new ManualClock();
  const { logger } = captureLogger();
  const shell = new SourceShell({
    identity: { platform: 'test', room: 'r', name: 'test:r' },
    deps: { logger, clock, stateDir: '/nonexistent', random: () => random },
  });
  const states: SourceState[] = [];
  const reconnects: string[] = [];
  shell.on('state', (s) => states.push(s));
  shell.on('reconnect', (r) => reconnects.push(r.reason));
  const controller = new AbortController();
  const done = shell.runs((signal) => follow(shell, connector, policy, signal)).start(controller.signal);
  return { clock, states, reconnects, done, stop: () => controller.abort() };
}

const settle = () => new Promise((r) => setTimeout(r, 10));

describe('the recovery table', () => {
  it('reconnects to the same target after a stall or a close, with full-jitter backoff that grows and resets', async () => {
    const s = new Script(
      [],
      [
        { end: { kind: 'stall', reason: 'quiet' } },
        { end: { kind: 'closed', reason: 'reset' } },
        { end: { kind: 'closed', reason: 'x' }, healthy: true },
        { end: { kind: 'closed', reason: 'y' } },
      ],
    );
    const r = run(s, { ...POLICY, recheckAfterFailures: 10 });
    await settle();
    // random 0.5 of base·2^failures: 500, then 1000; a healthy session starts over at 500, then 1000 again.
    expect(r.clock.delays()).toEqual([500]);
    r.clock.advance(500);
    await settle();
    expect(r.clock.delays()).toEqual([1_000]);
    r.clock.advance(1_000);
    await settle();
    expect(r.clock.delays()).toEqual([500]);
    r.clock.advance(500);
    await settle();
    expect(r.clock.delays()).toEqual([1_000]);
    r.clock.advance(1_000);
    await settle();
    expect(s.log).toEqual(['resolve:live', 'connect:room', 'connect:room', 'connect:room', 'connect:room', 'connect:room']);
    expect(r.reconnects).toEqual(['initial', 'stall', 'closed', 'closed', 'closed']);
    expect(r.states[1]).toEqual({ state: 'connecting', reason: 'stall: quiet' });
    r.stop();
    await r.done;
    expect(s.log.at(-1)).toBe('release:room');
  });

  it('resolves again after auth_failed and restart, releasing the target first', async () => {
    const s = new Script(
      [],
      [{ end: { kind: 'auth_failed', reason: 'token refused', code: -101 } }, { end: { kind: 'restart', reason: 'INTERACTION_END' } }],
    );
    const r = run(s, POLICY, 0);
    await waitFor(() => s.log.length >= 7, 'three sessions');
    expect(s.log.slice(0, 7)).toEqual([
      'resolve:live',
      'connect:room',
      'release:room',
      'resolve:live',
      'connect:room',
      'release:room',
      'resolve:live',
    ]);
    expect(r.reconnects).toEqual(['initial', 'auth_failed', 'restart']);
    r.stop();
    await r.done;
  });

  it('retries a refusal slowly (jittered ±20 %, or the wait the end names) on the same target', async () => {
    const s = new Script(
      [],
      [{ end: { kind: 'blocked', reason: 'DEVICE_BLOCKED' } }, { end: { kind: 'blocked', reason: 'again', retryAfterMs: 5_000 } }],
    );
    const r = run(s, POLICY, 0);
    await settle();
    expect(r.states.at(-1)).toEqual({ state: 'blocked', reason: 'DEVICE_BLOCKED' });
    expect(r.clock.delays()).toEqual([240_000]);
    r.clock.advance(240_000);
    await settle();
    expect(r.clock.delays()).toEqual([4_000]);
    r.clock.advance(4_000);
    await settle();
    expect(s.log).toEqual(['resolve:live', 'connect:room', 'connect:room', 'connect:room']);
    expect(r.reconnects).toEqual(['initial', 'blocked_retry', 'blocked_retry']);
    r.stop();
    await r.done;
  });

  it('on the end of the broadcast says ended, releases, polls, and announces new_broadcast once', async () => {
    const s = new Script(
      [
        { kind: 'live', target: 'first' },
        { kind: 'offline', reason: 'status 4' },
        { kind: 'live', target: 'second' },
      ],
      [{ end: { kind: 'ended', reason: 'bye' } }],
    );
    const r = run(s, POLICY, 0.5);
    await settle();
    expect(r.states.at(-1)).toEqual({ state: 'ended', reason: 'bye' });
    expect(r.clock.delays()).toEqual([60_000]);
    r.clock.advance(60_000);
    await settle();
    expect(r.states.at(-1)).toEqual({ state: 'offline', reason: 'status 4' });
    r.clock.advance(60_000);
    await settle();
    expect(s.log).toEqual(['resolve:live', 'connect:first', 'release:first', 'resolve:offline', 'resolve:live', 'connect:second']);
    expect(r.reconnects).toEqual(['initial', 'new_broadcast']);
    r.stop();
    await r.done;
  });

  it('stops on a fatal end with an error state, and start() resolves by itself', async () => {
    const s = new Script([], [{ end: { kind: 'fatal', reason: 'the app was revoked', code: 'app_revoked' } }]);
    const r = run(s);
    await r.done;
    expect(r.states.at(-1)).toEqual({ state: 'error', reason: 'the app was revoked', code: 'app_revoked' });
    expect(s.log).toEqual(['resolve:live', 'connect:room', 'release:room']);
  });

  it('reconnects at once where a moved end says, and only that attempt goes there', async () => {
    const s = new Script(
      [],
      [{ end: { kind: 'moved', reason: 'session_reconnect', url: 'wss://elsewhere/' } }, { end: { kind: 'closed', reason: 'x' } }],
    );
    const r = run(s, { ...POLICY, recheckAfterFailures: 10 }, 0);
    await waitFor(() => s.attempts.length === 3, 'three attempts');
    expect(s.attempts).toEqual([
      { reason: 'initial', url: undefined },
      { reason: 'moved', url: 'wss://elsewhere/' },
      { reason: 'closed', url: undefined },
    ]);
    r.stop();
    await r.done;
  });

  it('answers rows differently where the policy says so', async () => {
    const s = new Script([], [{ end: { kind: 'closed', reason: 'SC_ERROR', code: 'sc_error' } }]);
    const r = run(s, { ...POLICY, recovery: { closed: 'resolve' } }, 0);
    await waitFor(() => s.log.length >= 4, 'the second resolve');
    expect(s.log.slice(0, 4)).toEqual(['resolve:live', 'connect:room', 'release:room', 'resolve:live']);
    r.stop();
    await r.done;
  });
});

describe('the one "resolve again" counter', () => {
  it('resolves again after recheckAfterFailures sessions in a row that never worked', async () => {
    const closed = { end: { kind: 'closed', reason: 'reset' } as SessionStop };
    const s = new Script([], [closed, closed, closed, closed]);
    const r = run(s, POLICY, 0);
    await waitFor(() => s.log.filter((l) => l.startsWith('connect')).length === 5, 'five connects');
    expect(s.log.slice(0, 6)).toEqual(['resolve:live', 'connect:room', 'connect:room', 'connect:room', 'release:room', 'resolve:live']);
    expect(r.reconnects).toEqual(['initial', 'closed', 'closed', 'recheck', 'closed']);
    r.stop();
    await r.done;
  });
});

describe('failures are states, never rejections', () => {
  it('reports a throwing resolve or connect as an error with its code, backs off, and goes on', async () => {
    const lookup = Object.assign(new Error('HTTP refused'), { code: 'test_http' });
    const s = new Script([lookup], [new Error('no signature')]);
    const r = run(s, POLICY, 0.5);
    await settle();
    expect(r.states.at(-1)).toEqual({ state: 'error', reason: 'HTTP refused', code: 'test_http' });
    r.clock.advance(500);
    await settle();
    expect(r.states.at(-1)).toEqual({ state: 'error', reason: 'no signature', code: 'connect_failed' });
    r.clock.advance(1_000);
    await settle();
    expect(r.reconnects).toEqual(['initial', 'resolve_failed', 'connect_failed']);
    expect(s.log).toEqual(['resolve:throw', 'resolve:live', 'connect:room', 'connect:room']);
    r.stop();
    await r.done;
  });

  it('waits a blocked or offline resolution without announcing a reconnect for each poll', async () => {
    const s = new Script(
      [
        { kind: 'blocked', reason: 'captcha' },
        { kind: 'not_found', reason: 'no such room' },
        { kind: 'not_found', reason: 'no such room' },
      ],
      [],
    );
    const r = run(s, POLICY, 0);
    await settle();
    expect(r.states.at(-1)).toEqual({ state: 'blocked', reason: 'captcha' });
    r.clock.advance(240_000);
    await settle();
    expect(r.states.at(-1)).toEqual({ state: 'offline', reason: 'no such room' });
    r.clock.advance(48_000);
    await settle();
    expect(s.log).toEqual(['resolve:blocked', 'resolve:not_found', 'resolve:not_found']);
    expect(r.reconnects).toEqual(['initial', 'blocked_retry']);
    r.stop();
    await r.done;
  });
});
