import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { brotliInflate } from '../../../adapters/bilibili/brotli.js';
import { inflate } from '../../../adapters/kit/inflate.js';

const outcome = (f: () => Buffer) => {
  try {
    return { bytes: Buffer.from(f()).toString('hex') };
  } catch (err) {
    return { error: (err as Error).name, message: (err as Error).message, tooLarge: (err as { tooLarge?: boolean }).tooLarge };
  }
};

describe('the reused brotli decoder', () => {
  it('inflates, refuses and caps exactly as the kit inflate does, and stays usable after an error', () => {
    const good = zlib.brotliCompressSync(Buffer.from('弹幕 hello '.repeat(20_000)));
    const cases = [
      good,
      good.subarray(0, good.length - 5),
      good.subarray(0, 10),
      Buffer.from('not brotli at all'),
      Buffer.alloc(0),
      Buffer.concat([good, Buffer.from('xyz')]),
      zlib.brotliCompressSync(Buffer.alloc(17 * 1024 * 1024)),
      good,
    ];
    for (const data of cases) expect(outcome(() => brotliInflate(data))).toEqual(outcome(() => inflate('brotli', data)));
    expect(outcome(() => brotliInflate(cases[6]!)).tooLarge).toBe(true);
    expect(brotliInflate(good).toString('utf8')).toBe('弹幕 hello '.repeat(20_000));
  });
});
