/**
 * The long outage of the issue, end to end: 1000 events/s of the synthetic room through the
 * pipeline and the reporter at every default into the emulator over real HTTP, which answers 500
 * to every report for 150 s (bench/lib/outage.ts, the same run `npm run bench outage` measures).
 * Before the spool became the queue's overflow, the recovery evicted 5,526 gifts and 7,763 follows.
 */
import { describe, expect, it } from 'vitest';
import { runOutage } from '../../../bench/lib/outage.js';

describe('a 150 s outage at 1000 events/s', () => {
  it('ends with every gift and follow delivered exactly once', { timeout: 240_000 }, async () => {
    const r = await runOutage({ eventsPerSecond: 1000, outageStartMs: 10_000, outageMs: 150_000, totalMs: 400_000 });
    for (const tally of [r.gift, r.follow]) {
      expect(tally.enqueued).toBeGreaterThan(15_000);
      expect(tally).toMatchObject({ delivered: tally.enqueued, duplicates: 0, lost: 0, spooledAtEnd: 0, dropped: {} });
    }
    // The outage did put events in the spool: the test is of the spool, not of a sink that kept up.
    expect(r.spooledPeak).toBeGreaterThan(5_000);
  });
});
