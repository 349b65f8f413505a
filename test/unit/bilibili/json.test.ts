import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { idStr, int, parseJsonLossless, parseJsonLosslessReference, toMs } from '../../../adapters/bilibili/json.js';

describe('lossless JSON', () => {
  it('keeps integers above 2^53 as exact strings, leaving strings and short numbers alone', () => {
    const v = parseJsonLossless(
      '{"uid":12345678901234567890,"n":42,"s":"12345678901234567890 in text","neg":-9007199254740993,"f":1.12345678901234567,"e":1e21,"a":[9007199254740993]}',
    );
    expect(v).toEqual({
      uid: '12345678901234567890',
      n: 42,
      s: '12345678901234567890 in text',
      neg: '-9007199254740993',
      f: 1.1234567890123457,
      e: 1e21,
      a: ['9007199254740993'],
    });
  });

  it('handles escaped quotes inside strings', () => {
    expect(parseJsonLossless('{"t":"say \\"12345678901234567\\" ok","id":12345678901234567}')).toEqual({
      t: 'say "12345678901234567" ok',
      id: '12345678901234567',
    });
  });

  it('rejects broken JSON like JSON.parse', () => {
    expect(() => parseJsonLossless('{"a":')).toThrow(SyntaxError);
  });

  it('reads ids, integers and timestamps defensively', () => {
    expect(idStr('0012')).toBe('12');
    expect(idStr(-1)).toBe('');
    expect(idStr(1.5)).toBe('');
    expect(idStr('12a')).toBe('');
    expect(int('7')).toBe(7);
    expect(int(null, 3)).toBe(3);
    expect(toMs(1_764_000_000, 0)).toBe(1_764_000_000_000);
    expect(toMs(1_764_000_000_123, 0)).toBe(1_764_000_000_123);
    expect(toMs(undefined, 99)).toBe(99);
  });
});

describe('lossless JSON, fast path against the reference reading', () => {
  const long = fc.bigInt({ min: -(10n ** 25n), max: 10n ** 25n });
  // JSON texts with long integers as bare numbers, inside strings, in exponents and fractions, and escapes.
  const piece = fc.oneof(
    long.map((n) => n.toString()),
    long.map((n) => JSON.stringify(`id ${n} "q" \\ ${n}`)),
    long.map((n) => `1e${n < 0n ? -n : n}`),
    long.map((n) => `0.${n < 0n ? -n : n}`),
    fc.jsonValue().map((v) => JSON.stringify(v)),
    fc.string().map((s) => JSON.stringify(s)),
  );
  const text = fc.array(fc.tuple(fc.string({ maxLength: 3 }), piece), { maxLength: 12 }).map((parts) => {
    const keys = parts.map(([k], i) => `${JSON.stringify(k + i)}:${parts[i]![1]}`);
    return `{${keys.join(',')},"arr":[${parts.map(([, p]) => p).join(' , ')}]}`;
  });
  const outcome = (f: () => unknown) => {
    try {
      return { value: f() };
    } catch (err) {
      return { error: (err as Error).name };
    }
  };
  it('reads every valid text exactly as the per-token reference does (ids above 2^53 exact)', () => {
    fc.assert(
      fc.property(text, (t) => {
        expect(outcome(() => parseJsonLossless(t))).toEqual(outcome(() => parseJsonLosslessReference(t)));
      }),
      { numRuns: 1500 },
    );
  });
  it('fails where the reference fails, on damaged texts too', () => {
    fc.assert(
      fc.property(text, fc.nat(), fc.nat({ max: 40 }), fc.string({ maxLength: 4 }), (t, at, cut, junk) => {
        const i = at % (t.length + 1);
        const damaged = t.slice(0, i) + junk + t.slice(i + cut);
        expect(outcome(() => parseJsonLossless(damaged))).toEqual(outcome(() => parseJsonLosslessReference(damaged)));
      }),
      { numRuns: 1500 },
    );
  });
  it('keeps a uid above 2^63 and a negative one above 2^53 exact among hundreds of strings', () => {
    const filler = Array.from({ length: 300 }, (_, i) => `"k${i}":"v ${i} 12345678901234567 \\" x"`).join(',');
    const v = parseJsonLossless(`{${filler},"uid":18446744073709551617,"n":-9007199254740993,"ok":9007199254740991}`) as Record<
      string,
      unknown
    >;
    expect(v.uid).toBe('18446744073709551617');
    expect(v.n).toBe('-9007199254740993');
    expect(v.ok).toBe('9007199254740991');
    expect(v.k7).toBe('v 7 12345678901234567 " x');
  });
});
