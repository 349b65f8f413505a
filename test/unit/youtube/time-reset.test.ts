/**
 * Timestamps as the Data API writes them, and the quota day: midnight America/Los_Angeles,
 * across both daylight-saving switches.
 */
import { describe, expect, it } from 'vitest';
import { nextMidnight, QUOTA_TIME_ZONE, zoneOffsetMs } from '../../../adapters/youtube/reset.js';
import { parseRfc3339 } from '../../../adapters/youtube/time.js';

const H = 3_600_000;

describe('parseRfc3339', () => {
  it('reads microseconds and offsets, truncating to ms', () => {
    expect(parseRfc3339('2026-11-20T14:03:11.123456+00:00')).toBe(Date.UTC(2026, 10, 20, 14, 3, 11, 123));
    expect(parseRfc3339('2026-11-20T23:03:11.999999+09:00')).toBe(Date.UTC(2026, 10, 20, 14, 3, 11, 999));
    expect(parseRfc3339('2026-11-20T06:03:11.5-08:00')).toBe(Date.UTC(2026, 10, 20, 14, 3, 11, 500));
    expect(parseRfc3339('2026-11-20T14:03:11Z')).toBe(Date.UTC(2026, 10, 20, 14, 3, 11));
    expect(parseRfc3339('2026-11-20T19:33:11+0530')).toBe(Date.UTC(2026, 10, 20, 14, 3, 11));
  });

  it('refuses what is not such a time', () => {
    for (const bad of ['', 'yesterday', '2026-11-20', '2026-11-20T14:03:11', '2026-13-20T14:03:11Z', '2026-11-20T25:03:11Z', '1764000000'])
      expect(parseRfc3339(bad), bad).toBeUndefined();
  });
});

describe('the quota day (midnight America/Los_Angeles)', () => {
  it('knows the Pacific offset on both sides of each switch', () => {
    expect(zoneOffsetMs(QUOTA_TIME_ZONE, Date.UTC(2026, 0, 15, 12))).toBe(-8 * H);
    expect(zoneOffsetMs(QUOTA_TIME_ZONE, Date.UTC(2026, 6, 15, 12))).toBe(-7 * H);
    // 2026-03-08 02:00 PST → 03:00 PDT happens at 10:00 UTC.
    expect(zoneOffsetMs(QUOTA_TIME_ZONE, Date.UTC(2026, 2, 8, 9, 59))).toBe(-8 * H);
    expect(zoneOffsetMs(QUOTA_TIME_ZONE, Date.UTC(2026, 2, 8, 10, 0))).toBe(-7 * H);
  });

  it('resets at 08:00 UTC in winter and 07:00 UTC in summer', () => {
    expect(nextMidnight(QUOTA_TIME_ZONE, Date.UTC(2026, 0, 15, 12))).toBe(Date.UTC(2026, 0, 16, 8));
    expect(nextMidnight(QUOTA_TIME_ZONE, Date.UTC(2026, 0, 15, 7, 59))).toBe(Date.UTC(2026, 0, 15, 8));
    expect(nextMidnight(QUOTA_TIME_ZONE, Date.UTC(2026, 6, 15, 12))).toBe(Date.UTC(2026, 6, 16, 7));
  });

  it('is strictly after now: at midnight itself the next day is meant', () => {
    expect(nextMidnight(QUOTA_TIME_ZONE, Date.UTC(2026, 0, 16, 8))).toBe(Date.UTC(2026, 0, 17, 8));
    expect(nextMidnight(QUOTA_TIME_ZONE, Date.UTC(2026, 0, 16, 8) - 1)).toBe(Date.UTC(2026, 0, 16, 8));
  });

  // [the day before, its midnight, the next midnight, the day's hours, two instants inside the switch hour's neighbourhood]
  const SWITCHES = [
    [
      'spring forward (23 h)',
      Date.UTC(2026, 2, 7, 12),
      Date.UTC(2026, 2, 8, 8),
      Date.UTC(2026, 2, 9, 7),
      23,
      Date.UTC(2026, 2, 8, 9, 30),
      Date.UTC(2026, 2, 8, 10, 30),
    ],
    [
      'fall back (25 h)',
      Date.UTC(2026, 9, 31, 12),
      Date.UTC(2026, 10, 1, 7),
      Date.UTC(2026, 10, 2, 8),
      25,
      Date.UTC(2026, 10, 1, 8, 30),
      Date.UTC(2026, 10, 1, 9, 30),
    ],
  ] as const;
  it.each(SWITCHES)('gets the %s day right', (_name, before, start, end, hours, inside1, inside2) => {
    expect(nextMidnight(QUOTA_TIME_ZONE, before)).toBe(start);
    expect(nextMidnight(QUOTA_TIME_ZONE, start)).toBe(end);
    expect(end - start).toBe(hours * H);
    // Before and after the 02:00 switch (in the fall, both copies of 01:00–02:00) the day ends at the same instant.
    expect(nextMidnight(QUOTA_TIME_ZONE, inside1)).toBe(end);
    expect(nextMidnight(QUOTA_TIME_ZONE, inside2)).toBe(end);
  });

  it('works for other zones the same way (Asia/Singapore has no DST)', () => {
    expect(nextMidnight('Asia/Singapore', Date.UTC(2026, 2, 8, 12))).toBe(Date.UTC(2026, 2, 8, 16));
  });
});
