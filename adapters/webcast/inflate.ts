/**
 * One reusable gunzip per decoder instead of a new zlib handle per frame.
 *
 * `zlib.gunzipSync` builds, initialises and frees a native zlib context (with its 32 KiB window)
 * for every call; on webcast traffic (≈1 KiB gzip members inflating to ≈5 KiB) that set-up is
 * more than half the cost. Node's zlib streams keep their native handle, but their synchronous
 * path closes it after one use, so this module drives the stream's handle directly
 * (`writeSync` + `reset`, the calls node's own processChunkSync makes) and answers zlib errors
 * through the handle's `onerror`. Those are node internals: the handle is feature-checked and
 * self-tested once, and when anything differs the inflater falls back to `gunzipSync` (same
 * results, same cap, only slower). Output is capped: a member inflating past `maxOutputBytes`
 * is refused, never buffered whole.
 */
import zlib from 'node:zlib';

/** Why a payload could not be inflated (also the discard reason). */
export type InflateReason = 'corrupt_gzip' | 'inflated_too_large';

/** The payload is not a valid gzip member, or inflates past the cap. */
export class InflateError extends Error {
  readonly reason: InflateReason;
  constructor(reason: InflateReason, message: string) {
    super(message);
    this.name = 'InflateError';
    this.reason = reason;
  }
}

/** Gunzips whole members; see {@link createInflater}. */
export interface Inflater {
  /**
   * The inflated bytes of `gzip`. The result is a view into the inflater's own buffer, valid
   * until its next call: decode it before inflating the next frame (or copy it).
   */
  gunzip(gzip: Uint8Array): Buffer;
  /** True when the native handle is reused; false on the gunzipSync fallback. */
  readonly reusesHandle: boolean;
}

/** Options of {@link createInflater}. */
export interface InflaterOptions {
  /** Largest inflated size accepted for one member (default 16 MiB, the kit's cap). */
  maxOutputBytes?: number;
  /** Force the gunzipSync fallback (tests of the fallback path). */
  fallback?: boolean;
}

const DEFAULTS = { maxOutputBytes: 16 * 1024 * 1024, initialBytes: 64 * 1024 } as const;

/** The parts of node's zlib handle this module drives (node internals, checked before use). */
interface NativeHandle {
  writeSync(flush: number, input: Uint8Array, inOff: number, inLen: number, out: Uint8Array, outOff: number, outLen: number): void;
  reset(): void;
  close(): void;
  onerror: (message: string, errno: number, code?: string) => void;
}

interface StreamInternals {
  _handle?: unknown;
  _writeState?: unknown;
}

const SELF_TEST = zlib.gzipSync(Buffer.from('webcast inflate self-test '.repeat(40)));

function gunzipError(err: unknown, maxOutputBytes: number): InflateError {
  if (err instanceof RangeError || (err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
    return new InflateError('inflated_too_large', `gzip payload inflates past the ${maxOutputBytes}-byte limit`);
  return new InflateError('corrupt_gzip', `corrupt gzip payload: ${err instanceof Error ? err.message : String(err)}`);
}

class FallbackInflater implements Inflater {
  readonly reusesHandle = false;
  readonly #max: number;
  constructor(max: number) {
    this.#max = max;
  }
  gunzip(gzip: Uint8Array): Buffer {
    try {
      return zlib.gunzipSync(gzip, { maxOutputLength: this.#max });
    } catch (err) {
      throw gunzipError(err, this.#max);
    }
  }
}

class HandleInflater implements Inflater {
  readonly reusesHandle = true;
  readonly #max: number;
  #handle!: NativeHandle;
  #state!: Uint32Array;
  #error: string | undefined;
  #out: Buffer = Buffer.allocUnsafe(DEFAULTS.initialBytes);
  /** Keeps the stream object (the handle's owner) alive. */
  #stream!: zlib.Gunzip;

  constructor(max: number) {
    this.#max = max;
    this.#open();
  }

  /** Whether this node's zlib stream exposes a handle of the expected shape. */
  static supported(): boolean {
    const stream = zlib.createGunzip() as unknown as StreamInternals;
    const h = stream._handle as Partial<NativeHandle> | undefined;
    const ok =
      typeof h?.writeSync === 'function' &&
      typeof h.reset === 'function' &&
      stream._writeState instanceof Uint32Array &&
      stream._writeState.length >= 2;
    (stream as unknown as zlib.Gunzip).close();
    return ok;
  }

  #open(): void {
    this.#stream = zlib.createGunzip();
    const internals = this.#stream as unknown as StreamInternals;
    this.#handle = internals._handle as NativeHandle;
    this.#state = internals._writeState as Uint32Array;
    this.#handle.onerror = (message) => {
      this.#error = message;
    };
  }

  gunzip(gzip: Uint8Array): Buffer {
    const handle = this.#handle;
    const state = this.#state;
    handle.reset();
    this.#error = undefined;
    let out = this.#out;
    let produced = 0;
    let inOff = 0;
    let inLen = gzip.length;
    for (;;) {
      handle.writeSync(zlib.constants.Z_FINISH, gzip, inOff, inLen, out, produced, out.length - produced);
      if (this.#error !== undefined) {
        const message = this.#error;
        // A context that reported an error is not trusted again: start from a fresh one.
        this.#stream.close();
        this.#open();
        throw new InflateError('corrupt_gzip', `corrupt gzip payload: ${message}`);
      }
      const availOut = state[0]!;
      const availIn = state[1]!;
      produced = out.length - availOut;
      if (availOut !== 0) return out.subarray(0, produced);
      // The output buffer is full: grow it (up to the cap) and go on from where zlib stopped.
      if (out.length > this.#max) {
        handle.reset();
        throw new InflateError('inflated_too_large', `gzip payload inflates past the ${this.#max}-byte limit`);
      }
      const bigger = Buffer.allocUnsafe(Math.min(out.length * 2, this.#max + 1));
      out.copy(bigger, 0, 0, produced);
      out = bigger;
      this.#out = bigger;
      inOff += inLen - availIn;
      inLen = availIn;
    }
  }
}

/** Checks once per process that the reused handle inflates exactly like gunzipSync. */
let handleWorks: boolean | undefined;
function handleInflaterWorks(): boolean {
  if (handleWorks !== undefined) return handleWorks;
  try {
    if (!HandleInflater.supported()) return (handleWorks = false);
    const probe = new HandleInflater(DEFAULTS.maxOutputBytes);
    const expected = zlib.gunzipSync(SELF_TEST);
    handleWorks = probe.gunzip(SELF_TEST).equals(expected) && probe.gunzip(SELF_TEST).equals(expected);
  } catch {
    handleWorks = false;
  }
  return handleWorks;
}

/**
 * An inflater for one decoder (one session, one replay): the reused native handle when this
 * node allows it, else gunzipSync. Not shared between decoders (each owns its output buffer).
 */
export function createInflater(options: InflaterOptions = {}): Inflater {
  const max = options.maxOutputBytes ?? DEFAULTS.maxOutputBytes;
  return !options.fallback && handleInflaterWorks() ? new HandleInflater(max) : new FallbackInflater(max);
}
