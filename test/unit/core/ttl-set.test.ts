import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TtlSet } from '../../../src/core/ttl-set.js';

describe('TtlSet', () => {
  it('remembers the newest maxEntries keys within the TTL, never an expired one, and holds at most twice the bound', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 500 }),
        fc.array(fc.record({ key: fc.integer({ min: 0, max: 12 }), gap: fc.integer({ min: 0, max: 120 }) }), { maxLength: 300 }),
        (max, ttl, steps) => {
          const set = new TtlSet(max, ttl);
          const added: { key: string; at: number }[] = [];
          let now = 0;
          for (const { key, gap } of steps) {
            now += gap;
            set.add(String(key), now);
            added.push({ key: String(key), at: now });
            expect(set.size).toBeLessThanOrEqual(2 * max);
            const lastAt = new Map(added.map((a) => [a.key, a.at]));
            // The newest distinct keys by order of their last addition (times may tie).
            const lastIndex = new Map(added.map((a, i) => [a.key, i]));
            const newest = [...lastIndex].sort((a, b) => b[1] - a[1]).slice(0, max);
            for (const [k] of newest) if (now - lastAt.get(k)! < ttl) expect(set.has(k, now)).toBe(true);
            for (const [k, at] of lastAt) if (now - at >= ttl) expect(set.has(k, now)).toBe(false);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
