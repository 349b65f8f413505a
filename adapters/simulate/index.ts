/**
 * `platform: simulate` — a Source that produces a realistic room at a configured rate, from a
 * seed. It goes through the same Source contract as the real platforms.
 */
import { pause } from '../../src/core/clock.js';
import type { Source } from '../../src/core/source.js';
import { sourceIdentity, type KitDeps, type ProbeResult } from '../kit/plugin.js';
import { SourceShell } from '../kit/shell.js';
import { SIMULATE_NAMING, type SimulateSourceConfig } from './config.js';
import { seededRandom } from './random.js';
import { SimulatedRoom } from './room.js';

/** How often the room produces its next moments. */
const TICK_MS = 100;

/** `check --online`: a simulated room is always there; nothing to look up. */
export function probe(config: SimulateSourceConfig): Promise<ProbeResult> {
  return Promise.resolve({ state: 'live', detail: `simulated room ${config.room} (nothing to look up)` });
}

/** Source factory for `platform: simulate`. */
export function create(config: SimulateSourceConfig, deps: KitDeps): Source {
  const shell = new SourceShell({ identity: sourceIdentity(SIMULATE_NAMING, config), deps });
  return shell.runs(async (signal) => {
    const rng = seededRandom(config.seed);
    const room = new SimulatedRoom({ rng, source: shell.name, duplicateRatio: config.duplicate_ratio });
    shell.reconnect('initial');
    shell.setState({ state: 'connecting', reason: 'initial' });
    shell.setState({ state: 'live', roomId: config.room, title: 'Simulated room' });
    const startedAt = shell.clock.now();
    // Fractional moments carry over so low rates (0.5/s) still produce events.
    let owed = 0;
    while (!signal.aborted) {
      const now = shell.clock.now();
      if (config.duration_ms > 0 && now - startedAt >= config.duration_ms) {
        shell.setState({ state: 'ended', reason: 'simulation finished (duration_ms reached)' });
        break;
      }
      owed += (config.rate_per_second * TICK_MS) / 1000;
      while (owed >= 1) {
        owed -= 1;
        for (const event of room.step(now)) shell.event(event);
      }
      if (!(await pause(shell.clock, TICK_MS, signal))) break;
    }
  });
}
