/**
 * Kuaishou shows viewer counts as display strings, never as numbers: "8,888", "1.2万", "3亿",
 * "10万+" (a plus means "at least"). These parse them into approximate integers, with integer
 * arithmetic so "1.2万" is exactly 12000.
 */

const UNITS: Readonly<Record<string, number>> = { '': 1, 万: 10_000, w: 10_000, W: 10_000, 亿: 100_000_000 };
const DISPLAY = /^(\d{1,16})(?:\.(\d{1,8}))?\s*(万|亿|w|W)?\+?$/;

/** The number a display count stands for (its lower bound for "10万+"); undefined when it is not one. */
export function parseDisplayCount(text: string): number | undefined {
  const compact = text.trim().replaceAll(',', '').replaceAll('，', '');
  const m = DISPLAY.exec(compact);
  if (!m) return undefined;
  const unit = UNITS[m[3] ?? ''] ?? 1;
  const whole = Number(m[1]);
  const fraction = m[2] ?? '';
  // Only as many fraction digits as the unit can carry: "1.23456万" is 12345.
  const scale = 10 ** fraction.length;
  const fractionPart = fraction ? Math.floor((Number(fraction) * unit) / scale) : 0;
  const value = whole * unit + fractionPart;
  return Number.isSafeInteger(value) ? value : Number.MAX_SAFE_INTEGER;
}
