import { describe, expect, it } from 'vitest';
import { keyStem, mixinKey, signWbi } from '../../../adapters/bilibili/wbi.js';

// The vector worked out by hand (and with Python's hashlib/urllib, independently of this code):
// img key 7cd08494…, sub key 4932caff… → mixin key ea1db124…; foo=114&bar=514&zab=1919810 at
// wts 1702204169 → w_rid 8f6f2b5b3d485fe1886cec6a0be8c5d4 (the same vector the community docs use).
const IMG = 'https://i0.hdslb.com/bfs/wbi/7cd084941338484aae1ad9425b84077c.png';
const SUB = 'https://i0.hdslb.com/bfs/wbi/4932caff0ff746eab6f01bf08b70ac45.png';

describe('WBI signing', () => {
  it('takes the file-name stem of the key URLs', () => {
    expect(keyStem(IMG)).toBe('7cd084941338484aae1ad9425b84077c');
    expect(keyStem('no-slash')).toBe('no-slash');
  });

  it('permutes img+sub into the 32-char mixin key', () => {
    expect(mixinKey(IMG, SUB)).toBe('ea1db124af3c7062474693fa704f4ff8');
  });

  it('signs the hand-verified vector', () => {
    const q = signWbi({ foo: '114', bar: '514', zab: '1919810' }, 'ea1db124af3c7062474693fa704f4ff8', 1702204169_000);
    expect(q).toBe('bar=514&foo=114&wts=1702204169&zab=1919810&w_rid=8f6f2b5b3d485fe1886cec6a0be8c5d4');
  });

  it('signs the getDanmuInfo query (second vector, computed with Python)', () => {
    const q = signWbi({ id: '21452505', type: '0', web_location: '444.8' }, 'ea1db124af3c7062474693fa704f4ff8', 1764000000_999);
    expect(q).toBe('id=21452505&type=0&web_location=444.8&wts=1764000000&w_rid=8fb658f6de1b1643ee163059a26c22cc');
  });

  it("strips !'()* from values before signing and encodes the rest", () => {
    const a = signWbi({ q: "a!b'c(d)e*f g" }, 'k'.repeat(32), 1_000);
    expect(a.startsWith('q=abcdef%20g&wts=1&w_rid=')).toBe(true);
    expect(a).toBe(signWbi({ q: 'abcdef g' }, 'k'.repeat(32), 1_000));
  });
});
