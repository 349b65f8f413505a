/**
 * The poll session on the manual clock: the server's interval (never below the floor), backoff
 * on errors and Retry-After, the session's end after repeated errors, and the request budget.
 */
import { describe, expect, it } from 'vitest';
import { runPollSession, WindowBudget, type PollAnswer } from '../../../adapters/kit/poll-session.js';
import { SourceShell } from '../../../adapters/kit/shell.js';
import type { RawFrame } from '../../../adapters/kit/capture.js';
import { ManualClock } from '../../helpers/clock.js';
import { captureLogger } from '../../helpers/logger.js';

const settle = () => new Promise((r) => setTimeout(r, 5));

function setup(answers: (PollAnswer | Error)[]) {
  const clock = new ManualClock();
  const recorded: RawFrame[] = [];
  const shell = new SourceShell({
    identity: { platform: 'test', room: 'r', name: 'test:r' },
    deps: { logger: captureLogger().logger, clock, stateDir: '/nonexistent', random: () => 0.5, recorder: (_p, f) => recorded.push(f) },
  });
  const asked: number[] = [];
  const poll = async (): Promise<PollAnswer> => {
    asked.push(clock.now());
    const next = answers.shift() ?? { kind: 'ok' };
    if (next instanceof Error) throw next;
    return next;
  };
  return { clock, shell, asked, poll, recorded };
}

describe('the poll session', () => {
  it("waits the server's interval, never below the floor, and records what each answer brought", async () => {
    const t = setup([
      { kind: 'ok', nextInMs: 5_000, raw: { type: 'text', text: '{"items":[]}' } },
      { kind: 'ok', nextInMs: 100 },
      { kind: 'end', end: { kind: 'ended', reason: 'offlineAt set' } },
    ]);
    const done = runPollSession(
      t.shell,
      { poll: t.poll, intervalMs: 10_000, minIntervalMs: 1_000, backoff: { baseMs: 1_000, maxMs: 60_000 }, maxErrors: 3 },
      new AbortController().signal,
    );
    await settle();
    expect(t.clock.delays()).toEqual([5_000]);
    t.clock.advance(5_000);
    await settle();
    expect(t.clock.delays()).toEqual([1_000]);
    t.clock.advance(1_000);
    expect(await done).toEqual({ end: { kind: 'ended', reason: 'offlineAt set' }, healthy: true, frames: 2 });
    const t0 = t.asked[0]!;
    expect(t.asked.map((a) => a - t0)).toEqual([0, 5_000, 6_000]);
    expect(t.recorded).toEqual([{ type: 'text', text: '{"items":[]}' }]);
  });

  it('backs off on errors (full jitter, or Retry-After), and ends the session after maxErrors in a row', async () => {
    const t = setup([
      new Error('socket hang up'),
      { kind: 'error', reason: 'HTTP 503', retryAfterMs: 7_000 },
      { kind: 'error', reason: 'HTTP 500' },
    ]);
    const done = runPollSession(
      t.shell,
      { poll: t.poll, intervalMs: 10_000, backoff: { baseMs: 1_000, maxMs: 60_000 }, maxErrors: 3 },
      new AbortController().signal,
    );
    await settle();
    expect(t.clock.delays()).toEqual([500]);
    t.clock.advance(500);
    await settle();
    expect(t.clock.delays()).toEqual([7_000]);
    t.clock.advance(7_000);
    expect(await done).toEqual({
      end: { kind: 'closed', reason: '3 requests failed in a row; last: HTTP 500' },
      healthy: false,
      frames: 0,
    });
  });

  it('spends the budget before each request and ends as blocked until the window refills', async () => {
    const t = setup([]);
    const budget = new WindowBudget({ units: 10, windowMs: 86_400_000, clock: t.clock, windowStart: (now) => now - (now % 86_400_000) });
    const done = runPollSession(
      t.shell,
      { poll: t.poll, intervalMs: 1_000, backoff: { baseMs: 1_000, maxMs: 60_000 }, maxErrors: 3, budget, cost: 5 },
      new AbortController().signal,
    );
    await settle();
    t.clock.advance(1_000);
    await settle();
    t.clock.advance(1_000);
    const result = await done;
    const untilMidnight = 86_400_000 - (t.clock.now() % 86_400_000);
    expect(result).toEqual({
      end: {
        kind: 'blocked',
        reason: `the request budget is spent; it refills in ${Math.ceil(untilMidnight / 1000)} s`,
        retryAfterMs: untilMidnight,
      },
      healthy: true,
      frames: 2,
    });
    expect(t.asked).toHaveLength(2);
    expect(budget.remaining()).toBe(0);
    t.clock.advance(untilMidnight);
    expect(budget.remaining()).toBe(10);
  });

  it('resolves as aborted when stopped while waiting', async () => {
    const t = setup([]);
    const controller = new AbortController();
    const done = runPollSession(
      t.shell,
      { poll: t.poll, intervalMs: 1_000, backoff: { baseMs: 1, maxMs: 1 }, maxErrors: 1 },
      controller.signal,
    );
    await settle();
    controller.abort();
    expect((await done).end).toEqual({ kind: 'aborted' });
  });
});
