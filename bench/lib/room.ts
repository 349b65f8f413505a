/**
 * A synthetic live room for benchmarks: a realistic mix of BridgeEvents (35 % comments, 25 %
 * likes, 15 % joins, 10 % gifts of which half in streaks, 10 % viewer counts, 5 % follows) from a
 * pool of users, with unique string ids.
 */
import type { BridgeEvent, User } from '../../src/core/events.js';

const DEFAULTS = { users: 3000, streakLength: 6 } as const;

/** Builds events on demand; `next(ts)` returns the next event of the mix. */
export class SyntheticRoom {
  readonly #users: User[];
  #n = 0;
  /** Per streaking user: messages so far in the current combo, and the combo's generation. */
  readonly #streaks = new Map<number, { step: number; gen: number }>();
  readonly #plainGifts: boolean;

  constructor(options: { users?: number; plainGifts?: boolean } = {}) {
    const count = options.users ?? DEFAULTS.users;
    this.#plainGifts = options.plainGifts ?? false;
    this.#users = Array.from({ length: count }, (_, i) => ({
      id: `7300000000${String(100_000_000 + i)}`,
      name: `观众${i}号`,
      level: i % 40,
      badge: i % 3 === 0 ? '粉丝团' : '',
      badgeLevel: i % 3 === 0 ? i % 20 : 0,
    }));
  }

  /** The id of the next event (unique, beyond 2^53, as Douyin's are). */
  #id(): string {
    return `76538870156${String(10_000_000 + this.#n)}`;
  }

  next(ts: number, source = 'bench'): BridgeEvent {
    const n = this.#n++;
    const id = this.#id();
    const user = this.#users[(n * 7919) % this.#users.length]!;
    const platform = 'douyin';
    const slot = n % 20;
    // Literals, as the decoders build their events: the room's own garbage stays out of the figures.
    if (slot < 7) return { id, platform, source, ts, kind: 'comment', user, text: `主播好 第${n}条 评论 🎉` };
    if (slot < 12) return { id, platform, source, ts, kind: 'like', user, count: 1 + (n % 15) };
    if (slot < 15) return { id, platform, source, ts, kind: 'join', user };
    if (slot < 17) return this.#gift({ id, platform, source, ts }, user, n);
    if (slot < 19) return { id, platform, source, ts, kind: 'viewers', count: 30_000 + (n % 500) };
    return { id, platform, source, ts, kind: 'follow', user };
  }

  #gift(base: { id: string; platform: string; source: string; ts: number }, user: User, n: number): BridgeEvent {
    const gift = { giftId: '463', name: '玫瑰', count: 1, unitValue: 1 };
    if (this.#plainGifts || n % 2 === 0) return { ...base, kind: 'gift', user, gift: { ...gift, count: 1 + (n % 9) } };
    // Streaks: a user's combo runs DEFAULTS.streakLength messages, the last one final.
    const key = n % 97;
    const state = this.#streaks.get(key) ?? { step: 0, gen: 0 };
    const step = state.step + 1;
    const final = step === DEFAULTS.streakLength;
    this.#streaks.set(key, final ? { step: 0, gen: state.gen + 1 } : { step, gen: state.gen });
    return {
      ...base,
      kind: 'gift',
      user: this.#users[key]!,
      gift: { ...gift, count: step, streak: { key: `combo-${key}-${state.gen}`, final } },
    };
  }
}
