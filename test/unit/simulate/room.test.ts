import { describe, expect, test } from 'vitest';
import { BridgeEventSchema, type BridgeEvent, type GiftEvent } from '../../../src/core/events.js';
import { systemClock } from '../../../src/core/clock.js';
import { SimulatedRoom } from '../../../adapters/simulate/room.js';
import { seededRandom } from '../../../adapters/simulate/random.js';
import { create as createSimulateSource } from '../../../adapters/simulate/index.js';
import { silentLogger } from '../../helpers/logger.js';
import { SimulateSourceSchema } from '../../../adapters/simulate/config.js';

function run(seed: number, steps: number): BridgeEvent[] {
  const room = new SimulatedRoom({ rng: seededRandom(seed), source: 'sim', duplicateRatio: 0.02 });
  const out: BridgeEvent[] = [];
  for (let i = 0; i < steps; i++) out.push(...room.step(1_700_000_000_000 + i * 50));
  return out;
}

describe('simulated room', () => {
  const events = run(7, 5000);

  test('the same seed gives the same room; another seed a different one', () => {
    expect(run(7, 500)).toEqual(events.slice(0, run(7, 500).length));
    expect(run(8, 500)).not.toEqual(run(7, 500));
  });

  test('every event is a valid BridgeEvent with 19-digit string ids', () => {
    for (const e of events) {
      expect(BridgeEventSchema.parse(e)).toEqual(e);
      expect(e.id).toMatch(/^\d{19}$/);
      if (e.kind !== 'viewers') expect(e.user.id).toMatch(/^\d{19}$/);
    }
  });

  test('a realistic mix: every kind, CJK, English and emoji, join bursts and duplicates', () => {
    const kinds = new Set(events.map((e) => e.kind));
    expect([...kinds].sort()).toEqual(['comment', 'follow', 'gift', 'join', 'like', 'viewers']);
    const texts = events.flatMap((e) => (e.kind === 'comment' ? [e.text] : []));
    expect(texts.some((t) => /[\u4e00-\u9fff]/.test(t))).toBe(true);
    expect(texts.some((t) => /^[A-Za-z !?']+$/.test(t))).toBe(true);
    expect(texts.some((t) => /\p{Extended_Pictographic}/u.test(t))).toBe(true);
    const ids = events.map((e) => e.id);
    expect(new Set(ids).size).toBeLessThan(ids.length); // resends with the same id
    // Some moment has several joins at once (a burst).
    const joinsAt = new Map<number, number>();
    for (const e of events) if (e.kind === 'join') joinsAt.set(e.ts, (joinsAt.get(e.ts) ?? 0) + 1);
    expect(Math.max(...joinsAt.values())).toBeGreaterThanOrEqual(3);
  });

  test('gift streaks rise, may skip counts, and end with exactly one final message', () => {
    const unique = new Map(events.map((e) => [e.id, e]));
    const byStreak = new Map<string, GiftEvent[]>();
    for (const e of unique.values()) {
      if (e.kind === 'gift' && e.gift.streak) byStreak.set(e.gift.streak.key, [...(byStreak.get(e.gift.streak.key) ?? []), e]);
    }
    expect(byStreak.size).toBeGreaterThan(20);
    let skipped = false;
    for (const streak of byStreak.values()) {
      const counts = streak.map((g) => g.gift.count);
      for (let i = 1; i < counts.length; i++) {
        expect(counts[i]).toBeGreaterThanOrEqual(counts[i - 1] as number);
        if ((counts[i] as number) - (counts[i - 1] as number) > 1) skipped = true;
      }
      const finals = streak.filter((g) => g.gift.streak?.final);
      expect(finals.length).toBeLessThanOrEqual(1);
      if (finals.length === 1) expect(streak.at(-1)?.gift.streak?.final).toBe(true);
    }
    expect(skipped).toBe(true);
  });
});

test('the source emits live state and events at its configured rate until aborted', async () => {
  const config = SimulateSourceSchema.parse({ platform: 'simulate', rate_per_second: 200, seed: 3 });
  const source = createSimulateSource(config, { clock: systemClock, logger: silentLogger(), stateDir: '/nonexistent' });
  const states: string[] = [];
  const events: BridgeEvent[] = [];
  source.on('state', (s) => states.push(s.state));
  source.on('event', (e) => events.push(e));
  const controller = new AbortController();
  const done = source.start(controller.signal);
  await new Promise((r) => setTimeout(r, 350));
  controller.abort();
  await done;
  expect(states).toEqual(['connecting', 'live']);
  expect(events.length).toBeGreaterThan(0);
  expect(events.every((e) => e.source === 'simulate:sim-room')).toBe(true);
  const after = events.length;
  await new Promise((r) => setTimeout(r, 150));
  expect(events.length).toBe(after);
});

test('duration_ms ends the simulation with state ended', async () => {
  const config = SimulateSourceSchema.parse({ platform: 'simulate', rate_per_second: 50, duration_ms: 150 });
  const source = createSimulateSource(config, { clock: systemClock, logger: silentLogger(), stateDir: '/nonexistent' });
  const states: string[] = [];
  source.on('state', (s) => states.push(s.state));
  await source.start(new AbortController().signal);
  expect(states).toEqual(['connecting', 'live', 'ended']);
});
