/**
 * The pipeline's entry check: what MetaStudio would refuse (and cost a bisection of ~16 requests
 * to find) or what would never go stale is corrected or dropped here, counted with its reason.
 */
import type { BridgeEvent } from '../core/events.js';

const DEFAULTS = {
  /** A platform clock may run a little ahead of ours; beyond this, a timestamp is not believed. */
  futureToleranceMs: 60_000,
} as const;

/** Why the entry check dropped an event. */
export type EntryDrop = 'empty_comment' | 'invalid_timestamp' | 'invalid_gift';

/**
 * What the entry check decided: the event itself when it passes unchanged (the common case,
 * with nothing allocated), a corrected copy with why, or the reason to drop it (a string).
 */
export type EntryVerdict = BridgeEvent | { corrected: BridgeEvent; clamped: string } | EntryDrop;

/** Checks one event as it enters the pipeline at `now`. */
export function checkEntry(event: BridgeEvent, now: number): EntryVerdict {
  if (!Number.isFinite(event.ts) || event.ts < 0) return 'invalid_timestamp';
  if (event.kind === 'comment' && event.text.trim() === '') return 'empty_comment';
  let out = event;
  let clamped: string | undefined;
  if (out.ts > now + DEFAULTS.futureToleranceMs) {
    // A timestamp in the future never goes stale: take our clock instead.
    out = { ...out, ts: now };
    clamped = 'future_timestamp';
  } else if (!Number.isInteger(out.ts)) {
    out = { ...out, ts: Math.floor(out.ts) };
    clamped = 'fractional_timestamp';
  }
  if (out.kind === 'gift') {
    const { count, unitValue } = out.gift;
    if (!Number.isSafeInteger(count) || count < 1 || !Number.isSafeInteger(unitValue) || unitValue < 0) return 'invalid_gift';
    if (count * unitValue > Number.MAX_SAFE_INTEGER) {
      // The gift is kept (money is never dropped); its value is capped so the total stays exact.
      out = { ...out, gift: { ...out.gift, unitValue: Math.floor(Number.MAX_SAFE_INTEGER / count) } };
      clamped = 'gift_value_clamped';
    }
  }
  return clamped ? { corrected: out, clamped } : out;
}
