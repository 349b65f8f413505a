import { describe, expect, it } from 'vitest';
import type { GiftEvent } from '../../../src/core/events.js';
import { gift, user } from '../../helpers/reporter/events.js';
import { pipelineHarness } from '../../helpers/reporter/pipeline.js';

const alice = user('alice');
const combo = (id: string, count: number, final = false, key = 'g1') => gift({ id, count, user: alice, streak: { key, final } });
const reported = (out: unknown[]) => (out as GiftEvent[]).map((e) => [e.id, e.gift.count]);

describe('gift streaks', () => {
  it('reports a streak once, on its final message, with the id of that message and the highest count', () => {
    const h = pipelineHarness();
    for (const [id, n] of [
      ['m1', 1],
      ['m2', 3],
      ['m3', 2],
      ['m4', 5],
    ] as const)
      h.pipeline.push(combo(id, n));
    expect(h.out).toHaveLength(0);
    h.pipeline.push(combo('m5', 4, true));
    expect(reported(h.out)).toEqual([['m5', 5]]);
    expect(h.stats.coalesced.gift).toBe(4);
  });

  it('closes a silent streak after gift_streak_idle_ms with its highest-count message, and does not report its late final', () => {
    const h = pipelineHarness({ gift_streak_idle_ms: 3000 });
    h.pipeline.push(combo('m1', 1));
    h.clock.advance(2000);
    h.pipeline.push(combo('m2', 9));
    h.clock.advance(2999);
    expect(h.out).toHaveLength(0);
    h.clock.advance(1);
    expect(reported(h.out)).toEqual([['m2', 9]]);
    h.pipeline.push(combo('m3', 10, true));
    expect(h.out).toHaveLength(1);
    expect(h.stats.coalesced.gift).toBe(2);
  });

  it('keeps streaks of different users, gifts, keys and sources apart; gifts without a streak pass at once', () => {
    const h = pipelineHarness();
    h.pipeline.push(combo('a1', 2, false, 'k1'));
    h.pipeline.push(gift({ id: 'b1', count: 3, user: user('bob'), streak: { key: 'k1', final: false } }));
    h.pipeline.push(gift({ id: 'a2', count: 1, user: alice, giftId: '999', streak: { key: 'k1', final: false } }));
    h.pipeline.push(gift({ id: 'a3', count: 4, user: alice, source: 'second', streak: { key: 'k1', final: false } }));
    h.pipeline.push(gift({ id: 'plain', count: 7 }));
    expect(reported(h.out)).toEqual([['plain', 7]]);
    h.pipeline.flush();
    expect(reported(h.out).sort()).toEqual([
      ['a1', 2],
      ['a2', 1],
      ['a3', 4],
      ['b1', 3],
      ['plain', 7],
    ]);
  });

  it('counts what close() discards without flush as a loss', () => {
    const h = pipelineHarness();
    h.pipeline.push(combo('m1', 1));
    h.pipeline.push(combo('m2', 2));
    h.pipeline.close();
    h.pipeline.push(combo('m3', 3));
    expect(h.stats.dropped.get('pipeline_closed')).toEqual({ intentional: false, counts: expect.objectContaining({ gift: 3 }) });
    expect(h.clock.pending).toBe(0);
  });
});
