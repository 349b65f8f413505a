/**
 * Money, the same way in both Twitch sources: bits (≈ US$0.01 each) and gifted subs, valued in
 * one configurable unit so cheers and gifts compare. Sub plans as Twitch writes them: `Prime`,
 * `1000`, `2000`, `3000`.
 */
import type { Gift } from '../../src/core/events.js';

/** The configured values. */
export interface PaidValues {
  /** The value of one bit. */
  bitsValue: number;
  /** The value of one gifted sub, by plan (`1000`, `2000`, `3000`). */
  subValues: Readonly<Record<string, number>>;
}

const GIFT_NAMES: Readonly<Record<string, string>> = { '1000': 'Tier 1 Sub', '2000': 'Tier 2 Sub', '3000': 'Tier 3 Sub' };

/** The plan as Twitch names it: `1000`/`2000`/`3000`, `Prime`; EventSub's `tier` uses the same digits. */
export function subscriberPlan(raw: string): string {
  const plan = raw.trim();
  return plan.toLowerCase() === 'prime' ? 'Prime' : plan.slice(0, 200);
}

/** `n` gifted subs of `plan` as one gift. */
export function giftOfSubs(plan: string, n: number, values: PaidValues): Gift {
  const tier = subscriberPlan(plan) || '1000';
  return {
    giftId: `sub_${tier}`,
    name: GIFT_NAMES[tier] ?? 'Sub',
    count: n,
    unitValue: Object.hasOwn(values.subValues, tier) ? values.subValues[tier]! : 0,
  };
}

/** `bits` bits as one gift. */
export function giftOfBits(bits: number, values: PaidValues): Gift {
  return { giftId: 'bits', name: 'Bits', count: bits, unitValue: values.bitsValue };
}
