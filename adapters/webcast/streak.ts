/**
 * The gift-streak rules of the webcast family, in one place for Douyin and TikTok.
 *
 * A streakable gift (TikTok gift type 1, Douyin's combo gifts) arrives as a run of messages with
 * a rising repeatCount, closed by one with repeatEnd set; even a single send arrives twice. The
 * adapter marks each message with the streak it belongs to and the pipeline's streak folder
 * (src/pipeline/streaks.ts) reports the run once, with its final count, when the closing message
 * arrives or the streak goes idle. A non-streakable gift (TikTok type 2 and up) arrives once with
 * repeatEnd 0 and is never waited on: where the platform may echo it (TikTok), a group id marks it
 * as an already-closed streak, so it is reported at once and an echo of the same group is folded
 * into it; Douyin's instant multi-sends carry no streak at all.
 */
import type { Gift } from '../../src/core/events.js';

/** What the rules look at in one gift message. */
export interface StreakFacts {
  /** Whether this gift is sent in streaks (platform specific: TikTok type 1, Douyin combo). */
  streakable: boolean;
  /** The message's repeatEnd flag. */
  repeatEnd: boolean;
  userId: string;
  giftId: string;
  /** The platform's group id ("0" when absent). */
  groupId: string;
  /** Fold echoes of a non-streakable gift by its group id (TikTok). */
  foldEchoes?: boolean;
}

/** The streak marker of one gift message, or undefined when it stands alone. */
export function giftStreak(f: StreakFacts): Gift['streak'] {
  if (f.streakable) return { key: `${f.userId}:${f.giftId}:${f.groupId}`, final: f.repeatEnd };
  if (f.foldEchoes && f.groupId !== '0') return { key: `${f.userId}:${f.giftId}:${f.groupId}`, final: true };
  return undefined;
}
