import { describe, expect, test } from 'vitest';
import { fitStatusLine, statusFields, statusLine } from '../../../src/cli/status-line.js';
import { EventStats, zeroCounts } from '../../../src/core/stats.js';
import { takeSnapshot } from '../../../src/ops/snapshot.js';
import { reporterStatus } from '../../helpers/ops/status.js';

/** A busy demo's counters: every kind non-zero, drops of both sorts. */
function busySnapshot() {
  const stats = new EventStats();
  const counts = { gift: 312, subscribe: 4, follow: 57, comment: 4821, join: 12040, like: 98231, viewers: 1201 } as const;
  for (const [kind, n] of Object.entries(counts)) stats.countReceived(kind as keyof typeof counts, n);
  for (const [kind, n] of Object.entries(counts)) stats.countSent(kind as keyof typeof counts, Math.floor(n / 3));
  stats.countCoalesced('like', 61000);
  stats.countDropped('join', { reason: 'join_cap', intentional: true }, 8000);
  stats.countDropped('comment', { reason: 'stale', intentional: true }, 12);
  stats.countDropped('gift', { reason: 'queue_full', intentional: false }, 3);
  stats.countDropped('comment', { reason: 'rejected', intentional: false }, 2);
  return takeSnapshot({
    stream: 'demo',
    stats,
    reporter: () =>
      reporterStatus({ queuedByKind: { ...zeroCounts(), comment: 120, gift: 2 }, inFlight: 40, oldestQueuedAgeMs: 800, lastSuccessAt: 1 }),
    sources: () => [],
    sink: () => ({ state: 'ready' }),
    startedAt: 0,
    now: () => 60_000,
  });
}

describe('the demo status line', () => {
  test('with room to spare it shows every field, drops split into policy and loss', () => {
    expect(statusLine(busySnapshot(), Infinity, [{ text: 'emulator 40000', priority: 30 }])).toBe(
      'in 116666 [gifts 312 subs 4 follows 57 comments 4821 joins 12040 likes 98231 viewers 1201] | sent 38887 | queued 162 | ' +
        'lost 5 | dropped 8012 by policy | folded 61000 | emulator 40000',
    );
  });

  test.each([200, 120, 100, 80, 60, 40, 24])('never wider than %i columns, the most important fields kept', (width) => {
    const line = statusLine(busySnapshot(), width, [{ text: 'emulator 40000', priority: 30 }]);
    expect(line.length).toBeLessThanOrEqual(width);
    // Sent and lost outlive everything else; the totals outlive the per-kind counts.
    if (width >= 24) expect(line).toContain('sent 38887');
    if (width >= 40) expect(line).toContain('lost 5');
  });

  test('on 80 columns the per-kind counts go, lowest kind first, before any total', () => {
    const line = statusLine(busySnapshot(), 79, [{ text: 'emulator 40000', priority: 30 }]);
    expect(line).toBe('in 116666 | sent 38887 | queued 162 | lost 5 | dropped 8012 by policy');
    const wider = statusLine(busySnapshot(), 110);
    expect(wider).toBe('in 116666 [gifts 312 subs 4] | sent 38887 | queued 162 | lost 5 | dropped 8012 by policy | folded 61000');
  });

  test('a single field wider than the terminal is cut, not wrapped', () => {
    expect(fitStatusLine([{ text: 'x'.repeat(50), priority: 1 }], 20)).toBe('x'.repeat(20));
    expect(statusFields(busySnapshot()).map((f) => f.text.split(' ')[0])).toEqual([
      'in',
      'gifts',
      'subs',
      'follows',
      'comments',
      'joins',
      'likes',
      'viewers',
      'sent',
      'queued',
      'lost',
      'dropped',
      'folded',
    ]);
  });
});
