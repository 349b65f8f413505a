/**
 * Property tests: random event streams against a randomly misbehaving sink, on a manual clock.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EVENT_KINDS, type BridgeEvent, type EventKind } from '../../../src/core/events.js';
import type { SendResult } from '../../../src/core/sink.js';
import type { WireEvent } from '../../../src/metastudio/wire.js';
import { eventOf, wireId } from '../../helpers/reporter/events.js';
import { reporterHarness, unaccounted } from '../../helpers/reporter/harness.js';

type Answer = 'sent' | 'retry' | 'retry-after' | 'reject-poison' | 'paused' | 'slow';

const answerArb = fc.constantFrom<Answer>('sent', 'sent', 'sent', 'retry', 'retry-after', 'reject-poison', 'paused', 'slow');
const eventArb = fc.record({ kind: fc.constantFrom(...EVENT_KINDS), ageMs: fc.integer({ min: 0, max: 40_000 }), poison: fc.boolean() });
const stepArb = fc.record({ events: fc.array(eventArb, { maxLength: 25 }), advanceMs: fc.integer({ min: 0, max: 3000 }) });
const configArb = fc.record({
  max_batch_events: fc.integer({ min: 1, max: 40 }),
  max_batch_bytes: fc.integer({ min: 1024, max: 8192 }),
  max_requests_per_second: fc.integer({ min: 1, max: 5 }),
  max_queue_events: fc.integer({ min: 20, max: 400 }),
  circuit_failures: fc.integer({ min: 1, max: 6 }),
  circuit_cooldown_ms: fc.integer({ min: 500, max: 5000 }),
  spool_after_ms: fc.integer({ min: 1000, max: 20_000 }),
  retry_base_ms: fc.integer({ min: 50, max: 1000 }),
  retry_max_ms: fc.integer({ min: 1000, max: 10_000 }),
  shutdown_flush_ms: fc.integer({ min: 500, max: 3000 }),
});

const isPoison = (w: WireEvent) => wireId(w).startsWith('p');

function answer(kind: Answer, events: readonly WireEvent[]): SendResult | { result: SendResult; delayMs: number } {
  switch (kind) {
    case 'sent':
      return { kind: 'sent' };
    case 'retry':
      return { kind: 'retry', reason: '500', code: 'http_500' };
    case 'retry-after':
      return { kind: 'retry', reason: '429', code: 'http_429', retryAfterMs: 1500 };
    case 'reject-poison':
      return events.some(isPoison) ? { kind: 'rejected', reason: 'bad event', code: 'MSS.00000003' } : { kind: 'sent' };
    case 'paused':
      return { kind: 'paused', reason: 'job ended' };
    case 'slow':
      return { result: { kind: 'sent' }, delayMs: 1200 };
  }
}

describe('reporter properties', () => {
  it('accounts for every event, keeps order and limits, never sends an id twice, never loses a fresh gift', async () => {
    await fc.assert(
      fc.asyncProperty(
        configArb,
        fc.array(stepArb, { minLength: 1, maxLength: 20 }),
        fc.array(answerArb, { minLength: 1, maxLength: 40 }),
        async (config, steps, answers) => {
          const gifts = steps.reduce((n, s) => n + s.events.filter((e) => e.kind === 'gift').length, 0);
          // Room for every gift, so a gift may only be dropped as stale or as the poisoned one.
          const h = reporterHarness(
            { ...config, max_queue_events: Math.max(config.max_queue_events, gifts + 1) },
            {
              behaviour: (events, i) => {
                // A poisoned event is rejected on every send that holds it, so bisection always ends.
                if (events.some(isPoison)) return answer('reject-poison', events);
                return answer(answers[i % answers.length]!, events);
              },
            },
          );
          await h.reporter.start();
          const order = new Map<string, { n: number; kind: EventKind }>();
          let n = 0;
          for (const step of steps) {
            for (const e of step.events) {
              const canPoison = e.kind === 'comment' || e.kind === 'gift';
              const id = e.kind === 'viewers' ? `v${n}` : `${e.poison && canPoison && n % 7 === 0 ? 'p' : 'e'}${n}`;
              order.set(id, { n, kind: e.kind });
              n += 1;
              h.push(eventOf(e.kind, id, h.clock.now() - e.ageMs) as BridgeEvent);
            }
            await h.clock.advanceAsync(step.advanceMs);
          }
          const stopped = h.reporter.stop();
          await h.clock.advanceAsync(config.shutdown_flush_ms + 7000);
          await stopped;

          expect(unaccounted(h)).toBe(0);
          const status = h.reporter.status();
          expect(status.inFlight).toBe(0);
          expect(Object.values(status.queuedByKind).every((q) => q === 0)).toBe(true);

          // Batch limits and the request rate.
          for (const call of h.sink.calls) {
            expect(call.events.length).toBeGreaterThan(0);
            expect(call.events.length).toBeLessThanOrEqual(config.max_batch_events);
            expect(Buffer.byteLength(JSON.stringify({ total: call.events.length, events: call.events }))).toBeLessThanOrEqual(
              config.max_batch_bytes,
            );
          }
          const cap = config.max_requests_per_second;
          for (let i = cap; i < h.sink.calls.length; i++)
            expect(h.sink.calls[i]!.at - h.sink.calls[i - cap]!.at).toBeGreaterThanOrEqual(1000);

          // Exactly once, in order within a kind.
          const delivered = h.sink.delivered();
          // Ids are unique across kinds; follows and subscriptions share a wire type, so the kind comes from the id.
          const keys = delivered.map(wireId);
          expect(new Set(keys).size).toBe(keys.length);
          const lastByKind = new Map<EventKind, number>();
          for (const key of keys) {
            const { n: at, kind } = order.get(key)!;
            expect(at).toBeGreaterThan(lastByKind.get(kind) ?? -1);
            lastByKind.set(kind, at);
          }
          expect(keys.some((k) => k.startsWith('p'))).toBe(false);

          // Gifts are only lost when stale or rejected.
          for (const [reason, entry] of h.stats.dropped) if (entry.counts.gift > 0) expect(['stale', 'rejected']).toContain(reason);
        },
      ),
      { numRuns: 150 },
    );
  });
});
