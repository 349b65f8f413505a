import { describe, expect, it } from 'vitest';
import { SignBudget, sharedSignBudget } from '../../../adapters/tiktok/sign/budget.js';

describe('sign budget', () => {
  it('caps calls per rolling minute and says when the next one is allowed', () => {
    let now = 1_000_000;
    const b = new SignBudget({ per_minute: 3, per_day: 100 }, () => now);
    expect([b.take(), b.take(), b.take()].every((t) => t.ok)).toBe(true);
    now += 10_000;
    expect(b.take()).toEqual({ ok: false, why: 'per_minute', retryAt: 1_060_000 });
    now = 1_060_000;
    expect(b.take()).toEqual({ ok: true });
    expect(b.stats).toEqual({ calls: 4, refusals: 1, lastMinute: 1, lastDay: 4 });
  });

  it('caps calls per rolling day across minutes', () => {
    let now = 0;
    const b = new SignBudget({ per_minute: 10, per_day: 5 }, () => now);
    for (let i = 0; i < 5; i++) {
      expect(b.take().ok).toBe(true);
      now += 120_000;
    }
    const refused = b.take();
    expect(refused).toEqual({ ok: false, why: 'per_day', retryAt: 60_000 + 86_400_000 });
    now = 60_000 + 86_400_000;
    expect(b.take().ok).toBe(true);
    expect(b.take().ok).toBe(false);
  });

  it('holds every call until the reset a 429 named', () => {
    let now = 0;
    const b = new SignBudget({ per_minute: 10, per_day: 100 }, () => now);
    b.holdUntil(30_000);
    b.holdUntil(5_000);
    expect(b.take()).toEqual({ ok: false, why: 'held', retryAt: 30_000 });
    now = 30_000;
    expect(b.take().ok).toBe(true);
  });

  it('sources with the same signer and key share one budget; another key has its own', () => {
    const a = sharedSignBudget({ url: 'https://s.example', api_key: 'k1' }, { per_minute: 1, per_day: 9 }, () => 0);
    const b = sharedSignBudget({ url: 'https://s.example', api_key: 'k1' }, { per_minute: 1, per_day: 9 }, () => 0);
    const c = sharedSignBudget({ url: 'https://s.example', api_key: 'k2' }, { per_minute: 1, per_day: 9 }, () => 0);
    expect(b).toBe(a);
    expect(c).not.toBe(a);
    expect(a.take().ok).toBe(true);
    expect(b.take().ok).toBe(false);
    expect(c.take().ok).toBe(true);
  });
});
