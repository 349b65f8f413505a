/**
 * The open platform's request signature: the x-bili-* headers (access key id, MD5 of the body,
 * method, nonce, version, timestamp) sorted by name, written `name:value` one per line, and
 * HMAC-SHA256'd with the access key secret into `Authorization` (hex).
 */
import { createHash, createHmac, randomUUID } from 'node:crypto';

/** Builds the signed headers for `body`; `nowMs` and `nonce` are injectable for tests. */
export function signOpenRequest(o: {
  accessKeyId: string;
  accessKeySecret: string;
  body: Buffer;
  nowMs: number;
  nonce?: string;
}): Record<string, string> {
  const signed: Record<string, string> = {
    'x-bili-accesskeyid': o.accessKeyId,
    'x-bili-content-md5': createHash('md5').update(o.body).digest('hex'),
    'x-bili-signature-method': 'HMAC-SHA256',
    'x-bili-signature-nonce': o.nonce ?? randomUUID().replaceAll('-', ''),
    'x-bili-signature-version': '1.0',
    'x-bili-timestamp': String(Math.floor(o.nowMs / 1000)),
  };
  const canonical = canonicalString(signed);
  return {
    ...signed,
    authorization: createHmac('sha256', o.accessKeySecret).update(canonical).digest('hex'),
    'content-type': 'application/json',
    accept: 'application/json',
  };
}

/** The canonical string: every x-bili-* header, sorted by name, `name:value`, joined by newlines. */
export function canonicalString(headers: Record<string, string>): string {
  return Object.keys(headers)
    .filter((k) => k.startsWith('x-bili-'))
    .sort()
    .map((k) => `${k}:${headers[k]}`)
    .join('\n');
}
