/**
 * When a time zone's next midnight falls, as an instant: the Data API's quota resets at midnight
 * Pacific time, which is 07:00 or 08:00 UTC depending on daylight saving. Computed with Intl
 * (the ICU time-zone rules Node ships), so 23- and 25-hour days come out right.
 */

/** The zone whose midnight resets YouTube's daily quota. */
export const QUOTA_TIME_ZONE = 'America/Los_Angeles';

const DAY_MS = 86_400_000;
const formats = new Map<string, Intl.DateTimeFormat>();

function format(timeZone: string): Intl.DateTimeFormat {
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formats.set(timeZone, f);
  }
  return f;
}

/** The zone's offset from UTC at instant `at`, in ms (local wall time − UTC; −7 h for PDT). */
export function zoneOffsetMs(timeZone: string, at: number): number {
  const parts: Record<string, number> = {};
  for (const p of format(timeZone).formatToParts(at)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const wall = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return wall - (at - (((at % 1000) + 1000) % 1000));
}

/**
 * The first local midnight of `timeZone` strictly after `now` (ms since the epoch). The wall
 * time "next day 00:00" is turned into an instant by solving t = wall − offset(t), which settles
 * in one or two steps (the offset only changes around the 02:00 switch, never at midnight in
 * America/Los_Angeles, but the loop does not rely on that).
 */
export function nextMidnight(timeZone: string, now: number): number {
  const localNow = now + zoneOffsetMs(timeZone, now);
  const wall = (Math.floor(localNow / DAY_MS) + 1) * DAY_MS;
  let t = wall - zoneOffsetMs(timeZone, now);
  for (let i = 0; i < 4; i += 1) {
    const next = wall - zoneOffsetMs(timeZone, t);
    if (next === t) break;
    t = next;
  }
  return t;
}
