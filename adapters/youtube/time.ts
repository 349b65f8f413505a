/**
 * RFC 3339 times as the Data API writes them (`2026-11-20T14:03:11.123456+00:00`, microseconds
 * and an offset, or `Z`), read by hand so that neither the engine's Date.parse leniency nor its
 * handling of more than three fractional digits decides a timestamp.
 */

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:?\d{2})$/;

/** Milliseconds since the epoch (fraction truncated to ms), or undefined when `text` is not such a time. */
export function parseRfc3339(text: string): number | undefined {
  const m = RFC3339.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac = '', zone] = m;
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > 31 || Number(h) > 23 || Number(mi) > 59 || Number(s) > 60) return undefined;
  const ms = Number(frac.padEnd(3, '0').slice(0, 3));
  let offsetMin = 0;
  if (zone !== 'Z' && zone !== 'z') {
    const sign = zone!.startsWith('-') ? -1 : 1;
    const digits = zone!.slice(1).replace(':', '');
    offsetMin = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2)));
  }
  const t = Date.UTC(Number(y), month - 1, day, Number(h), Number(mi), Math.min(59, Number(s)), ms) - offsetMin * 60_000;
  return t >= 0 ? t : undefined;
}
