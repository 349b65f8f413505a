/**
 * Every decompression an adapter does goes through here, with an output cap: a small hostile
 * frame can inflate to gigabytes (a 1 MB gzip of zeros is 1 GiB), far above the bridge's memory
 * limit. zlib stops at the cap (maxOutputLength) instead of allocating the whole output.
 */
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';

/** The largest inflated payload accepted (platform messages are kilobytes). */
export const MAX_INFLATED_BYTES = 16 * 1024 * 1024;

/** The discard reason of a payload that would inflate past the cap. */
export const INFLATED_TOO_LARGE = 'inflated_too_large';

/** The compressions the platforms use. */
export type Compression = 'gzip' | 'zlib' | 'brotli';

/** A payload did not inflate: corrupt, or larger than the cap (`tooLarge`). */
export class InflateError extends Error {
  readonly tooLarge: boolean;

  constructor(format: Compression, maxBytes: number, tooLarge: boolean, cause: unknown) {
    super(tooLarge ? `${format} payload inflates past the ${maxBytes}-byte limit` : `corrupt ${format} payload`, { cause });
    this.name = 'InflateError';
    this.tooLarge = tooLarge;
  }
}

/** Inflates `data`; throws InflateError. */
export function inflate(format: Compression, data: Uint8Array, maxBytes: number = MAX_INFLATED_BYTES): Buffer {
  const options = { maxOutputLength: maxBytes };
  try {
    if (format === 'gzip') return gunzipSync(data, options);
    if (format === 'zlib') return inflateSync(data, options);
    return brotliDecompressSync(data, options);
  } catch (err) {
    throw new InflateError(format, maxBytes, (err as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE', err);
  }
}
