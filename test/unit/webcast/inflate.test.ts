import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createInflater, InflateError } from '../../../adapters/webcast/inflate.js';

const text = (n: number) => Buffer.from('webcast '.repeat(Math.ceil(n / 8)).slice(0, n));

describe.each([
  ['reused handle', false],
  ['gunzipSync fallback', true],
])('inflater (%s)', (_name, fallback) => {
  it('inflates members of every size, exactly, one after another', () => {
    const inflater = createInflater({ fallback });
    expect(inflater.reusesHandle).toBe(!fallback);
    // 65536 fills the initial buffer exactly; the larger ones make it grow.
    for (const size of [0, 1, 5_488, 65_535, 65_536, 65_537, 300_000, 17]) {
      const plain = Buffer.concat([text(size >> 1), randomBytes(size - (size >> 1))]);
      expect(Buffer.compare(inflater.gunzip(gzipSync(plain)), plain), `size ${size}`).toBe(0);
    }
  });

  it('refuses corrupt members and goes on with the next one', () => {
    const inflater = createInflater({ fallback });
    const good = gzipSync(text(5_000));
    const badCrc = Buffer.from(good);
    badCrc[badCrc.length - 6]! ^= 0xff;
    const badBody = Buffer.from(good);
    badBody[12]! ^= 0xff;
    const truncated = good.subarray(0, good.length - 10);
    for (const bad of [badCrc, badBody, truncated, Buffer.from([0x1f, 0x8b, 0x08]), Buffer.from('not gzip at all')]) {
      expect(() => inflater.gunzip(bad)).toThrow(InflateError);
      try {
        inflater.gunzip(bad);
      } catch (err) {
        expect((err as InflateError).reason).toBe('corrupt_gzip');
      }
      expect(inflater.gunzip(good).equals(text(5_000))).toBe(true);
    }
  });

  it('refuses a member that inflates past the cap, and the next one still works', () => {
    const inflater = createInflater({ fallback, maxOutputBytes: 100_000 });
    const bomb = gzipSync(Buffer.alloc(5_000_000));
    expect(bomb.length).toBeLessThan(10_000);
    let reason = '';
    try {
      inflater.gunzip(bomb);
    } catch (err) {
      reason = (err as InflateError).reason;
    }
    expect(reason).toBe('inflated_too_large');
    expect(inflater.gunzip(gzipSync(text(100_000))).equals(text(100_000))).toBe(true);
  });
});
