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

describe('TtlSet.seen', () => {
  it('answers as has() and then adds only what was absent, over epoch-sized times', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 500 }),
        fc.array(fc.record({ key: fc.integer({ min: 0, max: 12 }), gap: fc.integer({ min: 0, max: 120 }) }), { maxLength: 300 }),
        (max, ttl, steps) => {
          const a = new TtlSet(max, ttl);
          const b = new TtlSet(max, ttl);
          // Times beyond 2^31 as Date.now() gives them (offsets inside a generation stay small).
          let now = 1_764_000_000_000;
          for (const { key, gap } of steps) {
            now += gap;
            const k = String(key);
            const was = a.has(k, now);
            if (!was) a.add(k, now);
            expect(b.seen(k, now)).toBe(was);
            expect(b.size).toBe(a.size);
            for (let q = 0; q <= 12; q++) expect(b.get(String(q), now)).toBe(a.get(String(q), now));
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

/** The two-generation semantics spelled out with Maps: what TtlSet must answer, step by step. */
class ModelTtlSet {
  current = new Map<string, number>();
  previous = new Map<string, number>();
  since: number | null = null;
  constructor(
    readonly max: number,
    readonly ttl: number,
  ) {}
  get size() {
    return this.current.size + this.previous.size;
  }
  get(key: string, now: number) {
    const at = this.current.get(key) ?? this.previous.get(key);
    return at === undefined || now - at >= this.ttl ? undefined : at;
  }
  add(key: string, now: number) {
    this.since ??= now;
    if (this.current.size >= this.max || now - this.since >= this.ttl) {
      this.previous = this.current;
      this.current = new Map();
      this.since = now;
    }
    this.current.set(key, now);
  }
  clear() {
    this.current = new Map();
    this.previous = new Map();
    this.since = null;
  }
}

describe('TtlSet against the model', () => {
  // Long keys that differ only in the middle hash alike: the keys themselves must still decide.
  const longKey = (n: number) => `${'a'.repeat(40)}${n}${'z'.repeat(40)}`;
  const op = fc.record({
    what: fc.oneof({ arbitrary: fc.constantFrom('add', 'seen', 'get'), weight: 60 }, { arbitrary: fc.constant('clear'), weight: 1 }),
    key: fc.oneof(fc.integer({ min: 0, max: 300 }).map(String), fc.integer({ min: 0, max: 20 }).map(longKey)),
    gap: fc.integer({ min: 0, max: 40 }),
  });
  it('answers every get, seen and size exactly as the Map model, through growth and rotations', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 400 }),
        fc.integer({ min: 1, max: 150 }),
        fc.array(op, { minLength: 200, maxLength: 1500, size: 'max' }),
        (max, ttl, ops) => {
          const set = new TtlSet(max, ttl);
          const model = new ModelTtlSet(max, ttl);
          let now = 1_764_000_000_000;
          for (const { what, key, gap } of ops) {
            now += what === 'clear' ? 0 : gap;
            if (what === 'add') {
              set.add(key, now);
              model.add(key, now);
            } else if (what === 'seen') {
              const was = model.get(key, now) !== undefined;
              if (!was) model.add(key, now);
              expect(set.seen(key, now)).toBe(was);
            } else if (what === 'get') expect(set.get(key, now)).toBe(model.get(key, now));
            else {
              set.clear();
              model.clear();
            }
            expect(set.size).toBe(model.size);
          }
        },
      ),
      { numRuns: 50 },
    );
  });
});

describe('TtlSet at the TTL boundary', () => {
  it('forgets a key exactly ttl after it was added, in either generation', () => {
    const t0 = 1_764_000_000_000;
    const set = new TtlSet(2, 100);
    set.add('a', t0);
    expect(set.get('a', t0 + 99)).toBe(t0);
    expect(set.has('a', t0 + 100)).toBe(false);
    set.add('b', t0 + 10);
    set.add('c', t0 + 20); // rotates: a and b are now the previous generation
    expect(set.size).toBe(3);
    expect(set.get('b', t0 + 109)).toBe(t0 + 10);
    expect(set.seen('b', t0 + 110)).toBe(false); // expired: added again, into the current generation
    expect(set.get('b', t0 + 111)).toBe(t0 + 110);
    expect(set.seen('c', t0 + 119)).toBe(true);
  });
});
