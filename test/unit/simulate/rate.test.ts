/**
 * The simulated source keeps its configured rate on the injected clock: `rate_per_second`
 * moments a second, each exactly what the seeded room produces at that time.
 */
import { expect, test } from 'vitest';
import type { BridgeEvent } from '../../../src/core/events.js';
import { create as createSimulateSource } from '../../../adapters/simulate/index.js';
import { silentLogger } from '../../helpers/logger.js';
import { SimulateSourceSchema } from '../../../adapters/simulate/config.js';
import { seededRandom } from '../../../adapters/simulate/random.js';
import { SimulatedRoom } from '../../../adapters/simulate/room.js';
import { ManualClock } from '../../helpers/clock.js';

test.each([
  [10, 1000, 10],
  [2.5, 2000, 5],
  [0.5, 3000, 1],
])('rate %s/s for %s ms: %s moments, identical to the seeded room', async (rate, durationMs, moments) => {
  const clock = new ManualClock();
  const start = clock.now();
  const config = SimulateSourceSchema.parse({
    platform: 'simulate',
    room: 'r',
    rate_per_second: rate,
    seed: 11,
    duration_ms: durationMs,
    duplicate_ratio: 0,
  });
  const source = createSimulateSource(config, { clock, logger: silentLogger(), stateDir: '/nonexistent' });
  const events: BridgeEvent[] = [];
  source.on('event', (e) => events.push(e));
  const done = source.start(new AbortController().signal);
  for (let t = 0; t <= durationMs; t += 100) await clock.advanceAsync(100);
  await done;

  // The same seed stepped by hand at the ticks where a whole moment was owed.
  const room = new SimulatedRoom({ rng: seededRandom(11), source: 'simulate:r', duplicateRatio: 0 });
  const tickMs = 100;
  const expected: BridgeEvent[] = [];
  let owed = 0;
  let steps = 0;
  for (let t = 0; t < durationMs; t += tickMs) {
    owed += (rate * tickMs) / 1000;
    while (owed >= 1) {
      owed -= 1;
      steps += 1;
      expected.push(...room.step(start + t));
    }
  }
  expect(steps).toBe(moments);
  expect(events).toEqual(expected);
});
