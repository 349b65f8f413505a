import { describe, expect, it } from 'vitest';
import { canonicalString, signOpenRequest } from '../../../adapters/bilibili/open/sign.js';

describe('open platform signature', () => {
  it('signs the hand-verified vector (MD5 and HMAC-SHA256 computed with Python independently)', () => {
    const body = Buffer.from('{"code":"BKVXG3VBGMF7M","app_id":1700000000000}');
    const h = signOpenRequest({
      accessKeyId: 'AKID-test',
      accessKeySecret: 'SECRET-test',
      body,
      nowMs: 1_764_000_000_500,
      nonce: '0123456789abcdef0123456789abcdef',
    });
    expect(h).toEqual({
      'x-bili-accesskeyid': 'AKID-test',
      'x-bili-content-md5': 'c7e11dec792cdc7db7bed350df6c8203',
      'x-bili-signature-method': 'HMAC-SHA256',
      'x-bili-signature-nonce': '0123456789abcdef0123456789abcdef',
      'x-bili-signature-version': '1.0',
      'x-bili-timestamp': '1764000000',
      authorization: 'f9584511fda2fb30a669e63a233526a5bf0e32a1caa259cd91dd3794a9eec8d4',
      'content-type': 'application/json',
      accept: 'application/json',
    });
  });

  it('builds the canonical string from the x-bili-* headers only, sorted', () => {
    expect(canonicalString({ 'x-bili-timestamp': '1', accept: 'x', 'x-bili-accesskeyid': 'a' })).toBe(
      'x-bili-accesskeyid:a\nx-bili-timestamp:1',
    );
  });

  it('uses a fresh nonce per request', () => {
    const a = signOpenRequest({ accessKeyId: 'a', accessKeySecret: 's', body: Buffer.from('{}'), nowMs: 0 });
    const b = signOpenRequest({ accessKeyId: 'a', accessKeySecret: 's', body: Buffer.from('{}'), nowMs: 0 });
    expect(a['x-bili-signature-nonce']).toMatch(/^[0-9a-f]{32}$/);
    expect(a['x-bili-signature-nonce']).not.toBe(b['x-bili-signature-nonce']);
  });
});
