/**
 * Our implementation of webmssdk's frontierSign for the push URL, as douyin.md §2 describes it:
 * a 10-byte payload (call counter, environment and behaviour codes, tails of two MD5 digests, a
 * random byte, an XOR checksum), RC4 under a 1-byte random key, a flag byte and the key in
 * front, and the 12 bytes in Base64 over ByteDance's alphabet: 16 characters.
 */
import { createHash, randomInt } from 'node:crypto';
import type { Signer } from './types.js';

/** The Base64 alphabet of X-Bogus (no padding is ever needed: 12 bytes → 16 characters). */
export const XBOGUS_ALPHABET = 'Dkdpgh4ZKsQB80/Mfvw36XI1R25-WUAlEi7NLboqYTOPuzmFjJnryx9HVGcaStCe';

const NATIVE = {
  flag: 0x40,
  flagExtra: 0x10,
  environmentCode: 1,
  behaviourCode: 14,
  counterMask: 0x3f,
} as const;

const md5 = (data: Uint8Array | string): Buffer => createHash('md5').update(data).digest();

/** MD5(MD5("")): the digest of an empty request body, as the SDK hashes it. */
const EMPTY_BODY_DIGEST = md5(md5(''));

/** RC4 over `data` with `key` (used with a 1-byte key here). */
export function rc4(key: Uint8Array, data: Uint8Array): Uint8Array {
  const s = new Uint8Array(256);
  for (let i = 0; i < 256; i++) s[i] = i;
  for (let i = 0, j = 0; i < 256; i++) {
    j = (j + s[i]! + key[i % key.length]!) & 0xff;
    [s[i], s[j]] = [s[j]!, s[i]!];
  }
  const out = new Uint8Array(data.length);
  for (let n = 0, i = 0, j = 0; n < data.length; n++) {
    i = (i + 1) & 0xff;
    j = (j + s[i]!) & 0xff;
    [s[i], s[j]] = [s[j]!, s[i]!];
    out[n] = data[n]! ^ s[(s[i]! + s[j]!) & 0xff]!;
  }
  return out;
}

/** Base64 over {@link XBOGUS_ALPHABET}; `bytes.length` must be a multiple of 3. */
export function encodeXBogus(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += XBOGUS_ALPHABET[(n >> 18) & 63]! + XBOGUS_ALPHABET[(n >> 12) & 63]! + XBOGUS_ALPHABET[(n >> 6) & 63]! + XBOGUS_ALPHABET[n & 63]!;
  }
  return out;
}

/** Inverse of {@link encodeXBogus}; throws on a character outside the alphabet. */
export function decodeXBogus(text: string): Uint8Array {
  if (text.length % 4 !== 0) throw new Error('X-Bogus length must be a multiple of 4');
  const out = new Uint8Array((text.length / 4) * 3);
  for (let i = 0, o = 0; i < text.length; i += 4, o += 3) {
    let n = 0;
    for (let k = 0; k < 4; k++) {
      const v = XBOGUS_ALPHABET.indexOf(text[i + k]!);
      if (v < 0) throw new Error(`not an X-Bogus character: ${text[i + k]}`);
      n = (n << 6) | v;
    }
    out[o] = (n >> 16) & 0xff;
    out[o + 1] = (n >> 8) & 0xff;
    out[o + 2] = n & 0xff;
  }
  return out;
}

/** The variable inputs of one signature (random in production, fixed in tests). */
export interface NativeSignInputs {
  counter: number;
  key: number;
  randomByte: number;
  extraFlag: boolean;
}

/** Computes the signature for a hex X-MS-STUB with explicit inputs. */
export function nativeFrontierSign(stubHex: string, inputs: NativeSignInputs): string {
  const stubDigest = md5(Buffer.from(stubHex, 'hex'));
  const payload = new Uint8Array(10);
  payload[0] = inputs.counter & NATIVE.counterMask;
  payload[1] = 0;
  payload[2] = NATIVE.environmentCode;
  payload[3] = NATIVE.behaviourCode;
  payload[4] = EMPTY_BODY_DIGEST[14]!;
  payload[5] = EMPTY_BODY_DIGEST[15]!;
  payload[6] = stubDigest[14]!;
  payload[7] = stubDigest[15]!;
  payload[8] = inputs.randomByte & 0xff;
  let check = 0;
  for (let i = 0; i < 9; i++) check ^= payload[i]!;
  payload[9] = check;
  const key = inputs.key & 0xff;
  const frame = new Uint8Array(12);
  frame[0] = NATIVE.flag | (inputs.extraFlag ? NATIVE.flagExtra : 0);
  frame[1] = key;
  frame.set(rc4(Uint8Array.of(key), payload), 2);
  return encodeXBogus(frame);
}

/** The default signer: no script, no service, a per-instance call counter like the SDK's. */
export class NativeSigner implements Signer {
  readonly kind = 'native';
  #calls = 0;

  async sign(stub: string): Promise<string> {
    this.#calls += 1;
    return nativeFrontierSign(stub, {
      counter: this.#calls,
      key: randomInt(256),
      randomByte: randomInt(256),
      extraFlag: randomInt(2) === 1,
    });
  }
}
