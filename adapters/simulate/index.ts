/**
 * `platform: simulate` — a Source that produces a realistic room at a configured rate, from a
 * seed. It goes through the same Source contract as the real platforms.
 */
import { EventEmitter } from 'node:events';
import { pause, type Clock } from '../../src/core/clock.js';
import type { Source, SourceDeps, SourceEvents } from '../../src/core/source.js';
import type { SimulateSourceConfig } from './config.js';
import { seededRandom } from './random.js';
import { SimulatedRoom } from './room.js';

/** How often the room produces its next moments. */
const TICK_MS = 100;

/** A simulated live room. */
export class SimulateSource extends EventEmitter<SourceEvents> implements Source {
  readonly name: string;
  readonly platform = 'simulate';
  #config: SimulateSourceConfig;
  #clock: Clock;

  constructor(config: SimulateSourceConfig, deps: Pick<SourceDeps, 'clock'>) {
    super();
    this.#config = config;
    this.#clock = deps.clock;
    this.name = config.name ?? `simulate:${config.room}`;
  }

  async start(signal: AbortSignal): Promise<void> {
    const rng = seededRandom(this.#config.seed);
    const room = new SimulatedRoom({ rng, source: this.name, duplicateRatio: this.#config.duplicate_ratio });
    this.emit('reconnect', { reason: 'initial' });
    this.emit('state', { state: 'connecting' });
    this.emit('state', { state: 'live', roomId: this.#config.room, title: 'Simulated room' });
    const startedAt = this.#clock.now();
    // Fractional moments carry over so low rates (0.5/s) still produce events.
    let owed = 0;
    while (!signal.aborted) {
      const now = this.#clock.now();
      if (this.#config.duration_ms > 0 && now - startedAt >= this.#config.duration_ms) {
        this.emit('state', { state: 'ended', reason: 'simulation finished (duration_ms reached)' });
        break;
      }
      owed += (this.#config.rate_per_second * TICK_MS) / 1000;
      while (owed >= 1) {
        owed -= 1;
        for (const event of room.step(now)) this.emit('event', event);
      }
      if (!(await pause(this.#clock, TICK_MS, signal))) break;
    }
  }
}

/** Source factory for `platform: simulate`. */
export function createSimulateSource(config: SimulateSourceConfig, deps: SourceDeps): Source {
  return new SimulateSource(config, deps);
}
