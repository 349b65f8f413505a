/**
 * Undecodable input: every piece becomes a `discard` event (counted by reason), and is logged
 * at most once per minute per reason with a truncated base64 sample for fixture harvesting.
 */
import type { Clock } from '../../src/core/clock.js';
import type { Logger } from '../../src/core/logger.js';
import type { SourceDiscard } from '../../src/core/source.js';

const DEFAULTS = { logIntervalMs: 60_000, sampleBytes: 96 } as const;

/** Emits discards and rate-limits their log lines. */
export class DiscardReporter {
  readonly #emit: (d: SourceDiscard) => void;
  readonly #logger: Logger;
  readonly #clock: Clock;
  readonly #message: string;
  readonly #lastLog = new Map<string, { at: number; suppressed: number }>();

  /** `platform` names the wire in the log line (`discarded undecodable <platform> input`). */
  constructor(options: { platform: string; emit: (d: SourceDiscard) => void; logger: Logger; clock: Clock }) {
    this.#emit = options.emit;
    this.#logger = options.logger;
    this.#clock = options.clock;
    this.#message = `discarded undecodable ${options.platform} input`;
  }

  /** Counts one discard; logs it unless this reason was logged within the last minute. */
  report(reason: string, sample: Uint8Array, error?: unknown): void {
    this.#emit({ reason, count: 1 });
    const now = this.#clock.now();
    const last = this.#lastLog.get(reason);
    if (last && now - last.at < DEFAULTS.logIntervalMs) {
      last.suppressed += 1;
      return;
    }
    const truncated = sample.length > DEFAULTS.sampleBytes;
    this.#logger.warn(this.#message, {
      reason,
      error: error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : undefined,
      bytes: sample.length,
      sample_b64: Buffer.from(sample.subarray(0, DEFAULTS.sampleBytes)).toString('base64') + (truncated ? '…' : ''),
      suppressed_since_last_log: last?.suppressed ?? 0,
    });
    this.#lastLog.set(reason, { at: now, suppressed: 0 });
  }
}
