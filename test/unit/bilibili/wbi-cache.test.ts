import { describe, expect, it } from 'vitest';
import { WbiKeyCache } from '../../../adapters/bilibili/web-api.js';

describe('WbiKeyCache', () => {
  it('serves the key until its TTL, and not after a drop', () => {
    const cache = new WbiKeyCache(12 * 3_600_000);
    expect(cache.get(0)).toBeUndefined();
    cache.set('k'.repeat(32), 1_000);
    expect(cache.get(1_000 + 12 * 3_600_000 - 1)).toBe('k'.repeat(32));
    expect(cache.get(1_000 + 12 * 3_600_000)).toBeUndefined();
    cache.set('j'.repeat(32), 5_000);
    cache.drop();
    expect(cache.get(5_001)).toBeUndefined();
  });
});
