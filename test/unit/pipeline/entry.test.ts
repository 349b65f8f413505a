/**
 * The pipeline's entry check: events the API would refuse, or that would never go stale, are
 * corrected or dropped with a counted reason before they cost a bisection.
 */
import { describe, expect, test } from 'vitest';
import { comment, gift } from '../../helpers/reporter/events.js';
import { pipelineHarness } from '../../helpers/reporter/pipeline.js';

describe('the entry check', () => {
  test('an empty comment is dropped (empty_comment); a blank one too', () => {
    const h = pipelineHarness();
    h.pipeline.push(comment({ id: 'c1', ts: h.clock.now(), text: '' }));
    h.pipeline.push(comment({ id: 'c2', ts: h.clock.now(), text: ' \u3000\n' }));
    h.pipeline.push(comment({ id: 'c3', ts: h.clock.now(), text: 'hi' }));
    expect(h.out.map((e) => e.id)).toEqual(['c3']);
    expect(h.stats.dropped.get('empty_comment')).toEqual({ intentional: true, counts: expect.objectContaining({ comment: 2 }) });
  });

  test('a timestamp far in the future becomes now (it would never go stale); a little ahead is believed', () => {
    const h = pipelineHarness();
    const now = h.clock.now();
    h.pipeline.push(comment({ id: 'c1', ts: now + 3_600_000 * 24 * 365 }));
    h.pipeline.push(comment({ id: 'c2', ts: now + 30_000 }));
    h.pipeline.push(comment({ id: 'c3', ts: now + 0.5 }));
    expect(h.out.map((e) => [e.id, e.ts - now])).toEqual([
      ['c1', 0],
      ['c2', 30_000],
      ['c3', 0],
    ]);
    expect(h.stats.clamped.get('future_timestamp')?.comment).toBe(1);
    expect(h.stats.clamped.get('fractional_timestamp')?.comment).toBe(1);
  });

  test('a gift whose total is beyond 2^53 is kept with its value capped; impossible gifts and timestamps are dropped', () => {
    const h = pipelineHarness();
    const now = h.clock.now();
    const big = gift({ id: 'g1', ts: now, count: 1000 });
    big.gift.unitValue = Number.MAX_SAFE_INTEGER;
    const nan = gift({ id: 'g2', ts: now });
    nan.gift.count = Number.NaN;
    h.pipeline.push(big);
    h.pipeline.push(nan);
    h.pipeline.push(comment({ id: 'c1', ts: Number.NaN }));
    expect(h.out).toHaveLength(1);
    const out = h.out[0]!;
    expect(out.kind === 'gift' && out.gift.count * out.gift.unitValue).toBeLessThanOrEqual(Number.MAX_SAFE_INTEGER);
    expect(out.kind === 'gift' && out.gift.unitValue).toBe(Math.floor(Number.MAX_SAFE_INTEGER / 1000));
    expect(h.stats.clamped.get('gift_value_clamped')?.gift).toBe(1);
    expect(h.stats.dropped.get('invalid_gift')?.counts.gift).toBe(1);
    expect(h.stats.dropped.get('invalid_timestamp')?.counts.comment).toBe(1);
  });
});
