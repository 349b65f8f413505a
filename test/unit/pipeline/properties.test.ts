import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EVENT_KINDS, type BridgeEvent, type GiftEvent } from '../../../src/core/events.js';
import { gift, eventOf, user } from '../../helpers/reporter/events.js';
import { pipelineHarness } from '../../helpers/reporter/pipeline.js';

const itemArb = fc.oneof(
  fc.record({ type: fc.constant('plain' as const), kind: fc.constantFrom(...EVENT_KINDS), id: fc.integer({ min: 0, max: 60 }) }),
  fc.record({
    type: fc.constant('combo' as const),
    streak: fc.integer({ min: 0, max: 4 }),
    count: fc.integer({ min: 1, max: 50 }),
    final: fc.boolean(),
    id: fc.integer({ min: 0, max: 400 }),
  }),
);
const stepArb = fc.record({ item: itemArb, advanceMs: fc.integer({ min: 0, max: 2500 }) });

describe('pipeline properties', () => {
  it('accounts for every event, never emits an id twice, reports each streak once with its highest count', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 200 }), (steps) => {
        const h = pipelineHarness({ gift_streak_idle_ms: 3000, max_joins_per_second: 2 }, { spam_window_ms: 0 });
        const highest = new Map<string, number>();
        for (const { item, advanceMs } of steps) {
          let event: BridgeEvent;
          if (item.type === 'plain') event = eventOf(item.kind, `${item.kind[0]}${item.id}`, h.clock.now());
          else {
            event = gift({
              id: `m${item.id}`,
              ts: h.clock.now(),
              count: item.count,
              user: user(`u${item.streak}`),
              streak: { key: `s${item.streak}`, final: item.final },
            });
            highest.set(`s${item.streak}`, Math.max(highest.get(`s${item.streak}`) ?? 0, item.count));
          }
          h.pipeline.push(event);
          h.clock.advance(advanceMs);
        }
        h.pipeline.flush();
        h.pipeline.close();
        expect(h.clock.pending).toBe(0);
        for (const kind of EVENT_KINDS) {
          const emitted = h.out.filter((e) => e.kind === kind).length;
          expect(h.stats.received[kind]).toBe(emitted + h.stats.droppedTotal(kind) + h.stats.coalesced[kind]);
        }
        const ids = h.out.map((e) => `${e.kind}:${e.id}`);
        expect(new Set(ids).size).toBe(ids.length);
        for (const e of h.out as GiftEvent[])
          if (e.kind === 'gift' && e.gift.streak) expect(e.gift.count).toBeLessThanOrEqual(highest.get(e.gift.streak.key)!);
        // Within one second, at most 2 joins pass.
        const joins = h.out.filter((e) => e.kind === 'join').map((e) => e.ts);
        for (let i = 2; i < joins.length; i++) expect(joins[i]! - joins[i - 2]!).toBeGreaterThanOrEqual(1000);
      }),
      { numRuns: 200 },
    );
  });
});
