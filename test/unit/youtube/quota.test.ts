/**
 * The quota budget on an injected clock: costs per call, the daily reset at midnight Pacific,
 * and the pacing that stretches recurring calls so the units left last until the reset.
 */
import { describe, expect, it } from 'vitest';
import { QUOTA_COSTS, QuotaBudget } from '../../../adapters/youtube/quota.js';
import { ManualClock } from '../../helpers/clock.js';

const H = 3_600_000;

describe('QuotaBudget', () => {
  it('charges every call its Data API cost and keeps per-call totals', () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 15, 20));
    const budget = new QuotaBudget({ dailyUnits: 10_000, now: () => clock.now() });
    expect(QUOTA_COSTS).toEqual({ chat_messages: 5, videos: 1, search: 100, channels: 1, live_page: 0 });
    budget.spend('chat_messages');
    budget.spend('chat_messages');
    budget.spend('videos');
    budget.spend('search');
    budget.spend('live_page');
    expect(budget.used).toBe(111);
    expect(budget.remaining).toBe(9_889);
    expect(budget.totals()).toEqual({
      chat_messages: { calls: 2, units: 10 },
      videos: { calls: 1, units: 1 },
      search: { calls: 1, units: 100 },
      channels: { calls: 0, units: 0 },
      live_page: { calls: 1, units: 0 },
    });
  });

  it('starts a new day at midnight Pacific (08:00 UTC in January), keeping the totals', () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 15, 7, 0));
    const budget = new QuotaBudget({ dailyUnits: 100, now: () => clock.now() });
    expect(budget.resetAt).toBe(Date.UTC(2026, 0, 15, 8));
    for (let i = 0; i < 20; i += 1) budget.spend('chat_messages');
    expect(budget.remaining).toBe(0);
    expect(budget.affords('chat_messages')).toBe(false);
    expect(budget.affords('live_page')).toBe(true);
    clock.advance(H - 1);
    expect(budget.used).toBe(100);
    clock.advance(1);
    expect(budget.used).toBe(0);
    expect(budget.resetAt).toBe(Date.UTC(2026, 0, 16, 8));
    expect(budget.totals().chat_messages).toEqual({ calls: 20, units: 100 });
  });

  it('keeps the desired interval while the projection fits the rest of the day', () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 15, 4)); // 4 h before the reset
    const budget = new QuotaBudget({ dailyUnits: 10_000, now: () => clock.now() });
    // 5 units every 10 s for 4 h = 7,200 units ≤ 10,000.
    expect(budget.pace(10_000, 5)).toEqual({ kind: 'wait', ms: 10_000, stretched: false });
  });

  it('stretches the interval so the units left last until the reset', () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 15, 8)); // a whole day ahead
    const budget = new QuotaBudget({ dailyUnits: 10_000, now: () => clock.now() });
    // 24 h of polls every 5 s = 17,280 polls × 5 = 86,400 units; 10,000 left → 43.2 s.
    expect(budget.pace(5_000, 5)).toEqual({ kind: 'wait', ms: 43_200, stretched: true });
    // With viewers every 120 s beside it (720 units/day): (86,400 + 720) / 10,000 × 5 s = 43.56 s.
    expect(budget.pace(5_000, 5, [{ cost: 1, intervalMs: 120_000 }])).toEqual({ kind: 'wait', ms: 43_560, stretched: true });
    // Half the budget spent with 12 h left: 8,640 polls × 5 = 43,200 units; 5,000 left → 43.2 s again.
    clock.advance(12 * H);
    for (let i = 0; i < 1_000; i += 1) budget.spend('chat_messages');
    expect(budget.pace(5_000, 5)).toEqual({ kind: 'wait', ms: 43_200, stretched: true });
  });

  it('says exhausted, with the reset time, when even one call does not fit', () => {
    const clock = new ManualClock(Date.UTC(2026, 6, 15, 20));
    const budget = new QuotaBudget({ dailyUnits: 12, now: () => clock.now() });
    budget.spend('chat_messages');
    budget.spend('chat_messages');
    expect(budget.pace(5_000, 5)).toEqual({ kind: 'exhausted', resetAt: Date.UTC(2026, 6, 16, 7) });
    expect(budget.pace(60_000, 1).kind).toBe('wait');
    expect(budget.pace(60_000, 0)).toEqual({ kind: 'wait', ms: 60_000, stretched: false });
  });
});
