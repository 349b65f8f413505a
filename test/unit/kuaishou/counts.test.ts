/** Display counts as Kuaishou shows them. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDisplayCount } from '../../../adapters/kuaishou/counts.js';

describe('parseDisplayCount', () => {
  it.each([
    ['0', 0],
    ['888', 888],
    ['8,888', 8888],
    ['1,234,567', 1234567],
    ['1.2万', 12000],
    ['1.23456万', 12345],
    ['12万', 120000],
    ['10万+', 100000],
    ['999+', 999],
    ['3亿', 300000000],
    ['2.5亿', 250000000],
    ['1.2w', 12000],
    [' 7.1W ', 71000],
  ])('%s → %d', (text, value) => {
    expect(parseDisplayCount(text)).toBe(value);
  });

  it.each(['', '万', 'abc', '1.2.3万', '-5', '1e5', '12千', 'NaN', '1万万'])('rejects %j', (text) => {
    expect(parseDisplayCount(text)).toBeUndefined();
  });

  it('never returns more than MAX_SAFE_INTEGER nor throws for any string', () => {
    expect(parseDisplayCount('9999999999999999亿')).toBe(Number.MAX_SAFE_INTEGER);
    fc.assert(
      fc.property(fc.string(), (s) => {
        const n = parseDisplayCount(s);
        return n === undefined || (Number.isSafeInteger(n) && n >= 0);
      }),
    );
  });

  it('reads every plain integer exactly', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 2 ** 40 }), (n) => parseDisplayCount(n.toLocaleString('en-US')) === n));
  });
});
