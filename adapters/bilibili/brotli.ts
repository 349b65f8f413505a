/**
 * One reusable brotli decoder for the danmaku frames instead of a new native context per frame.
 *
 * `zlib.brotliDecompressSync` builds, initialises and frees a brotli decoder for every call; on
 * danmaku traffic (a frame of ~20 commands, a few KiB inflated) that set-up is a quarter of the
 * inflate cost. As adapters/webcast/inflate.ts does for gzip, this drives a stream's native
 * handle directly (`writeSync` + `reset`, what node's own processChunkSync calls), feature-checked
 * and self-tested once: when anything differs, or while a call is already running (re-entry), it
 * falls back to the kit's inflate (same bytes, same cap, same errors, only slower). Output is
 * capped: a payload inflating past the cap is refused, never buffered whole.
 */
import zlib from 'node:zlib';
import { inflate, InflateError, MAX_INFLATED_BYTES } from '../kit/inflate.js';

const DEFAULTS = { initialBytes: 64 * 1024 } as const;

/** The parts of node's brotli handle driven here (node internals, checked before use). */
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

class HandleDecoder {
  readonly #max: number;
  #stream!: zlib.BrotliDecompress;
  #handle!: NativeHandle;
  #state!: Uint32Array;
  #error: string | undefined;
  #out: Buffer = Buffer.allocUnsafe(DEFAULTS.initialBytes);

  constructor(max: number) {
    this.#max = max;
    this.#open();
  }

  static supported(): boolean {
    const stream = zlib.createBrotliDecompress() as unknown as StreamInternals;
    const h = stream._handle as Partial<NativeHandle> | undefined;
    const ok =
      typeof h?.writeSync === 'function' &&
      typeof h.reset === 'function' &&
      stream._writeState instanceof Uint32Array &&
      stream._writeState.length >= 2;
    (stream as unknown as zlib.BrotliDecompress).close();
    return ok;
  }

  #open(): void {
    this.#stream = zlib.createBrotliDecompress();
    const internals = this.#stream as unknown as StreamInternals;
    this.#handle = internals._handle as NativeHandle;
    this.#state = internals._writeState as Uint32Array;
    this.#handle.onerror = (message) => {
      this.#error = message;
    };
  }

  /** The inflated bytes: a view into this decoder's buffer, valid until its next call. */
  decode(data: Uint8Array): Buffer {
    const handle = this.#handle;
    const state = this.#state;
    handle.reset();
    this.#error = undefined;
    let out = this.#out;
    let produced = 0;
    let inOff = 0;
    let inLen = data.length;
    for (;;) {
      handle.writeSync(zlib.constants.BROTLI_OPERATION_FINISH, data, inOff, inLen, out, produced, out.length - produced);
      if (this.#error !== undefined) {
        const message = this.#error;
        // A context that reported an error is not trusted again.
        this.#stream.close();
        this.#open();
        throw new InflateError('brotli', this.#max, false, new Error(message));
      }
      const availOut = state[0]!;
      const availIn = state[1]!;
      produced = out.length - availOut;
      if (availOut !== 0) return out.subarray(0, produced);
      if (out.length > this.#max) {
        handle.reset();
        throw new InflateError('brotli', this.#max, true, new Error('too large'));
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

const SELF_TEST = zlib.brotliCompressSync(Buffer.from('bilibili brotli self-test '.repeat(64)));

let decoder: HandleDecoder | null | undefined;
let busy = false;

function reusable(): HandleDecoder | null {
  if (decoder !== undefined) return decoder;
  try {
    if (!HandleDecoder.supported()) return (decoder = null);
    const probe = new HandleDecoder(MAX_INFLATED_BYTES);
    const expected = zlib.brotliDecompressSync(SELF_TEST);
    decoder = probe.decode(SELF_TEST).equals(expected) && probe.decode(SELF_TEST).equals(expected) ? probe : null;
  } catch {
    decoder = null;
  }
  return decoder;
}

/**
 * Inflates a brotli payload (throws the kit's InflateError, `tooLarge` past the cap). The result
 * may be a view into a shared buffer, valid until the next call: split and decode it first.
 */
export function brotliInflate(data: Uint8Array): Buffer {
  const d = busy ? null : reusable();
  if (!d) return inflate('brotli', data);
  busy = true;
  try {
    return d.decode(data);
  } finally {
    busy = false;
  }
}
