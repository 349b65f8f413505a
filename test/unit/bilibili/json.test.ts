import { describe, expect, it } from 'vitest';
import { idStr, int, parseJsonLossless, toMs } from '../../../adapters/bilibili/json.js';

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
