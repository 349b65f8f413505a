/**
 * Discards: every one is emitted and counted; the log line comes at most once per minute per
 * reason, with a truncated base64 sample and the number suppressed since the last line.
 */
import { describe, expect, it } from 'vitest';
import { DiscardReporter } from '../../../adapters/common/discard.js';
import type { SourceDiscard } from '../../../src/core/source.js';
import { ManualClock } from '../../helpers/clock.js';
import { captureLogger } from '../../helpers/logger.js';

describe('DiscardReporter', () => {
  it('emits every discard and logs once per minute per reason', () => {
    const clock = new ManualClock();
    const { logger, entries } = captureLogger();
    const emitted: SourceDiscard[] = [];
    const reporter = new DiscardReporter({ platform: 'douyin', emit: (d) => emitted.push(d), logger, clock });
    const big = Uint8Array.from({ length: 200 }, (_, i) => i);
    reporter.report('corrupt_gzip', big);
    reporter.report('corrupt_gzip', big);
    reporter.report('malformed_frame', Uint8Array.of(1, 2, 3));
    clock.advance(59_999);
    reporter.report('corrupt_gzip', big);
    clock.advance(1);
    reporter.report('corrupt_gzip', Uint8Array.of(0x1f, 0x8b));
    expect(emitted).toHaveLength(5);
    expect(emitted.every((d) => d.count === 1)).toBe(true);
    expect(entries.map((e) => [e.reason, e.suppressed_since_last_log, e.bytes])).toEqual([
      ['corrupt_gzip', 0, 200],
      ['malformed_frame', 0, 3],
      ['corrupt_gzip', 2, 2],
    ]);
    expect(entries[0]!.sample_b64).toBe(`${Buffer.from(big.subarray(0, 96)).toString('base64')}…`);
    expect(entries[1]!.sample_b64).toBe('AQID');
    expect(entries[0]!.level).toBe('warn');
    expect(entries.map((e) => e.message)).toEqual(Array(3).fill('discarded undecodable douyin input'));
  });
});
