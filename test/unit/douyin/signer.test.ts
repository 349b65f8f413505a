/**
 * X-MS-STUB and the three signers: native (structure, decoded back), script (node:vm with an
 * operator-style file), service (a local HTTP server).
 */
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSigner, SignerError, stubSource, xMsStub } from '../../../adapters/douyin/signer/index.js';
import { refusedPort } from '../../helpers/ports.js';
import {
  decodeXBogus,
  encodeXBogus,
  nativeFrontierSign,
  NativeSigner,
  rc4,
  XBOGUS_ALPHABET,
} from '../../../adapters/douyin/signer/native.js';

const md5hex = (s: string) => createHash('md5').update(s).digest('hex');

describe('X-MS-STUB', () => {
  it('is the MD5 of the 13 parameters in their fixed order, empty values kept', () => {
    const input = { roomId: '7653887015607454502', userUniqueId: '7400000000000000077', sdkVersion: '1.0.15' };
    const literal =
      'live_id=1,aid=6383,version_code=180800,webcast_sdk_version=1.0.15,room_id=7653887015607454502,sub_room_id=,sub_channel_id=,did_rule=3,user_unique_id=7400000000000000077,device_platform=web,device_type=,ac=,identity=audience';
    expect(stubSource(input)).toBe(literal);
    expect(xMsStub(input)).toBe(md5hex(literal));
    expect(xMsStub(input)).toMatch(/^[0-9a-f]{32}$/);
  });

  it('changes with the SDK version, room and visitor', () => {
    const literal =
      'live_id=1,aid=6383,version_code=180800,webcast_sdk_version=1.0.14-beta.0,room_id=1,sub_room_id=,sub_channel_id=,did_rule=3,user_unique_id=2,device_platform=web,device_type=,ac=,identity=audience';
    expect(xMsStub({ roomId: '1', userUniqueId: '2', sdkVersion: '1.0.14-beta.0' })).toBe(md5hex(literal));
  });
});

/** Decodes a signature back into its parts and checks its invariants. */
function openSignature(sig: string) {
  expect(sig).toHaveLength(16);
  for (const c of sig) expect(XBOGUS_ALPHABET).toContain(c);
  const bytes = decodeXBogus(sig);
  expect(bytes).toHaveLength(12);
  const payload = rc4(bytes.subarray(1, 2), bytes.subarray(2));
  let xor = 0;
  for (let i = 0; i < 9; i++) xor ^= payload[i]!;
  return { flag: bytes[0]!, key: bytes[1]!, payload, checksumOk: xor === payload[9] };
}

describe('native signer', () => {
  it('decodes a real-world signature (biliup/biliup#1567) with a valid checksum and the empty-body digest tail', () => {
    const { flag, payload, checksumOk } = openSignature('fgShHADGkhTrS2Oh');
    const emptyDigest = createHash('md5').update(createHash('md5').update('').digest()).digest();
    expect(flag).toBe(0x40);
    expect(checksumOk).toBe(true);
    expect([...payload.subarray(1, 6)]).toEqual([0, 1, 14, emptyDigest[14], emptyDigest[15]]);
  });

  it('builds flag, key and the 10-byte payload as specified', () => {
    const stub = md5hex('any stub source');
    const sig = nativeFrontierSign(stub, { counter: 65, key: 0x4f, randomByte: 0x2b, extraFlag: true });
    const { flag, key, payload, checksumOk } = openSignature(sig);
    const emptyDigest = createHash('md5').update(createHash('md5').update('').digest()).digest();
    const stubDigest = createHash('md5').update(Buffer.from(stub, 'hex')).digest();
    expect(flag).toBe(0x50);
    expect(key).toBe(0x4f);
    expect([...payload.subarray(0, 9)]).toEqual([
      65 & 63,
      0,
      1,
      14,
      emptyDigest[14],
      emptyDigest[15],
      stubDigest[14],
      stubDigest[15],
      0x2b,
    ]);
    expect(checksumOk).toBe(true);
  });

  it('always yields 16 alphabet characters that decode back (property)', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[0-9a-f]{32}$/),
        fc.nat(1000),
        fc.nat(255),
        fc.nat(255),
        fc.boolean(),
        (stub, counter, key, randomByte, extraFlag) => {
          const { flag, key: k, checksumOk } = openSignature(nativeFrontierSign(stub, { counter, key, randomByte, extraFlag }));
          return checksumOk && k === key && flag === (extraFlag ? 0x50 : 0x40);
        },
      ),
    );
  });

  it('counts calls like the SDK', async () => {
    const signer = new NativeSigner();
    const stub = md5hex('x');
    const counters = [];
    for (let i = 0; i < 3; i++) counters.push(openSignature(await signer.sign(stub)).payload[0]);
    expect(counters).toEqual([1, 2, 3]);
  });

  it('Base64 over the custom alphabet round-trips', () => {
    const bytes = Uint8Array.from({ length: 12 }, (_, i) => i * 21);
    expect(decodeXBogus(encodeXBogus(bytes))).toEqual(bytes);
    expect(() => decodeXBogus('!!!!')).toThrow(/not an X-Bogus character/);
  });
});

describe('script signer', () => {
  const path = fileURLToPath(new URL('../../fixtures/douyin/webmssdk-stub.js', import.meta.url));

  it('runs the operator script in node:vm with browser stubs and reads X-Bogus', async () => {
    const signer = createSigner({ type: 'script', path, timeout_ms: 1000 }, { userAgent: 'Mozilla/5.0 Chrome/131' });
    const stub = md5hex('a');
    expect(await signer.sign(stub)).toBe(`vm1${stub.slice(0, 10)}C0`);
    expect(await signer.sign(stub)).toBe(`vm2${stub.slice(0, 10)}C0`);
    expect(signer.kind).toBe('script');
  });

  it('fails clearly when the script is missing or does not install frontierSign', async () => {
    const missing = createSigner({ type: 'script', path: '/nonexistent/webmssdk.js', timeout_ms: 1000 }, { userAgent: 'UA' });
    await expect(missing.sign('00')).rejects.toMatchObject({
      code: 'douyin_signer',
      message: 'cannot read signer script /nonexistent/webmssdk.js',
    });
    const wrong = createSigner({ type: 'script', path: fileURLToPath(import.meta.url), timeout_ms: 1000 }, { userAgent: 'UA' });
    await expect(wrong.sign('00')).rejects.toBeInstanceOf(SignerError);
  });
});

describe('service signer', () => {
  it('POSTs the stub with the token and reads the signature', async () => {
    const seen: { body: string; auth?: string; type?: string }[] = [];
    let answer: { status: number; body: string } = { status: 200, body: JSON.stringify({ 'X-Bogus': 'DFSzswVLQDJANxVx' }) };
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        seen.push({ body, auth: req.headers.authorization, type: req.headers['content-type'] });
        res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sign`;
    try {
      const signer = createSigner({ type: 'service', url, token: 'sign-token', timeout_ms: 2000 }, { userAgent: 'UA' });
      expect(await signer.sign('0123456789abcdef0123456789abcdef')).toBe('DFSzswVLQDJANxVx');
      expect(seen).toEqual([
        { body: '{"X-MS-STUB":"0123456789abcdef0123456789abcdef"}', auth: 'Bearer sign-token', type: 'application/json' },
      ]);
      answer = { status: 200, body: JSON.stringify({ data: { signature: 'fgShHADGkhTrS2Oh' } }) };
      expect(await signer.sign('00')).toBe('fgShHADGkhTrS2Oh');
      answer = { status: 503, body: '{}' };
      await expect(signer.sign('00')).rejects.toMatchObject({ code: 'douyin_signer', message: 'signing service answered HTTP 503' });
      answer = { status: 200, body: '<html>' };
      await expect(signer.sign('00')).rejects.toMatchObject({ message: 'signing service answered non-JSON' });
      answer = { status: 200, body: '{"ok":true}' };
      await expect(signer.sign('00')).rejects.toMatchObject({ message: 'signing service answered without a signature' });
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
    // Once the service is gone: the cause, not "fetch failed".
    const port = await refusedPort();
    const gone = createSigner({ type: 'service', url: `http://127.0.0.1:${port}/sign`, timeout_ms: 2000 }, { userAgent: 'UA' });
    await expect(gone.sign('00')).rejects.toMatchObject({
      code: 'douyin_signer',
      message: `signing service unreachable: connection refused (ECONNREFUSED 127.0.0.1:${port})`,
    });
  });
});
