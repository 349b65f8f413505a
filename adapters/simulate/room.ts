/**
 * The simulated room's script: a pure generator that, step by step, decides what happens next.
 * Kept apart from the Source so it can be tested and benchmarked without timers.
 */
import type { BridgeEvent, User } from '../../src/core/events.js';
import { BADGES, COMMENTS, GIFTS, NAMES } from './corpus.js';
import type { Random } from './random.js';

interface OpenStreak {
  user: User;
  gift: (typeof GIFTS)[number];
  key: string;
  count: number;
  target: number;
}

/** Produces realistic room messages; ids are 19-digit strings like Douyin's. */
export class SimulatedRoom {
  #rng: Random;
  #platform: string;
  #source: string;
  #users: User[];
  #seq = 0n;
  #viewers: number;
  #streaks: OpenStreak[] = [];
  #recent: BridgeEvent[] = [];
  #duplicateRatio: number;

  constructor(options: { rng: Random; source: string; duplicateRatio: number; platform?: string }) {
    this.#rng = options.rng;
    this.#source = options.source;
    this.#platform = options.platform ?? 'simulate';
    this.#duplicateRatio = options.duplicateRatio;
    this.#viewers = this.#rng.int(200, 3000);
    this.#users = NAMES.map((name, i) => ({
      // 19-digit ids, above 2^53, built as strings: they never pass through a number.
      id: `7${String(this.#rng.int(100_000_000, 999_999_999))}${String(i).padStart(9, '0')}`,
      name,
      level: this.#rng.int(0, 40),
      badge: this.#rng.pick(BADGES),
      badgeLevel: 0,
    })).map((u) => ({ ...u, badgeLevel: u.badge === '' ? 0 : this.#rng.int(1, 20) }));
  }

  #id(): string {
    this.#seq += 1n;
    return (7_400_000_000_000_000_000n + this.#seq).toString();
  }

  #user(): User {
    return this.#rng.pick(this.#users);
  }

  /** The next batch of messages happening at `ts` (one "moment" of the room). */
  step(ts: number): BridgeEvent[] {
    const base = { platform: this.#platform, source: this.#source, ts };
    const out: BridgeEvent[] = [];
    const roll = this.#rng.next();
    if (this.#streaks.length > 0 && this.#rng.chance(0.5)) {
      out.push(...this.#advanceStreak(ts));
    } else if (roll < 0.4) {
      out.push({ ...base, id: this.#id(), kind: 'comment', user: this.#user(), text: this.#rng.pick(COMMENTS) });
    } else if (roll < 0.55) {
      // Joins come in bursts when the room is recommended.
      const n = this.#rng.chance(0.2) ? this.#rng.int(3, 12) : 1;
      for (let i = 0; i < n; i++) out.push({ ...base, id: this.#id(), kind: 'join', user: this.#user() });
    } else if (roll < 0.75) {
      const n = this.#rng.chance(0.3) ? this.#rng.int(2, 8) : 1;
      for (let i = 0; i < n; i++) out.push({ ...base, id: this.#id(), kind: 'like', user: this.#user(), count: this.#rng.int(1, 15) });
    } else if (roll < 0.88) {
      out.push(...this.#gift(ts));
    } else if (roll < 0.93) {
      out.push({ ...base, id: this.#id(), kind: 'follow', user: this.#user() });
    } else {
      this.#viewers = Math.max(0, this.#viewers + this.#rng.int(-40, 60));
      out.push({ ...base, id: this.#id(), kind: 'viewers', count: this.#viewers });
    }
    // Platforms resend messages across reconnects: repeat a recent one, same id.
    if (this.#recent.length > 0 && this.#rng.chance(this.#duplicateRatio)) out.push(this.#rng.pick(this.#recent));
    this.#recent.push(...out);
    if (this.#recent.length > 50) this.#recent.splice(0, this.#recent.length - 50);
    return out;
  }

  #gift(ts: number): BridgeEvent[] {
    const gift = this.#rng.pick(GIFTS);
    const user = this.#user();
    if (!gift.streakable) {
      const count = this.#rng.chance(0.2) ? this.#rng.pick([10, 66, 188]) : 1;
      return [
        {
          platform: this.#platform,
          source: this.#source,
          ts,
          id: this.#id(),
          kind: 'gift',
          user,
          gift: { giftId: gift.id, name: gift.name, count, unitValue: gift.unitValue },
        },
      ];
    }
    const streak: OpenStreak = { user, gift, key: `${user.id}:${gift.id}:${this.#id()}`, count: 0, target: this.#rng.int(1, 30) };
    this.#streaks.push(streak);
    return this.#advanceStreak(ts, streak);
  }

  /** One more message of an open streak: counts rise, sometimes skip, and end with a final copy. */
  #advanceStreak(ts: number, chosen?: OpenStreak): BridgeEvent[] {
    const streak = chosen ?? this.#rng.pick(this.#streaks);
    streak.count = Math.min(streak.target, streak.count + (this.#rng.chance(0.25) ? 2 : 1));
    const final = streak.count >= streak.target;
    if (final) this.#streaks.splice(this.#streaks.indexOf(streak), 1);
    const event: BridgeEvent = {
      platform: this.#platform,
      source: this.#source,
      ts,
      id: this.#id(),
      kind: 'gift',
      user: streak.user,
      gift: {
        giftId: streak.gift.id,
        name: streak.gift.name,
        count: streak.count,
        unitValue: streak.gift.unitValue,
        streak: { key: streak.key, final: false },
      },
    };
    if (!final) return [event];
    // Like Douyin: the last count arrives, then a final copy with repeatEnd set.
    return [event, { ...event, id: this.#id(), gift: { ...event.gift, streak: { key: streak.key, final: true } } }];
  }
}
