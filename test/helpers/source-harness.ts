/**
 * Runs a real Source (any platform) with a ManualClock and records what it emits.
 */
import type { BridgeEvent } from '../../src/core/events.js';
import type { Source, SourceDiscard, SourceState, SourceUsage } from '../../src/core/source.js';
import { captureLogger } from './logger.js';
import { ManualClock } from './clock.js';

export interface Harness {
  source: Source;
  clock: ManualClock;
  events: BridgeEvent[];
  states: SourceState[];
  discards: SourceDiscard[];
  usage: SourceUsage[];
  reconnects: string[];
  logs: Record<string, unknown>[];
  running: Promise<void>;
  stop(): Promise<void>;
}

/** What a harness passes to the factory besides the config. */
export interface HarnessDeps {
  logger: ReturnType<typeof captureLogger>['logger'];
  clock: ManualClock;
  stateDir: string;
  random: () => number;
}

/** Starts `create(deps)`'s source; random is pinned to `random` (0 by default: no backoff delay). */
export function startHarness(create: (deps: HarnessDeps) => Source, options: { random?: number; logLevel?: string } = {}): Harness {
  const clock = new ManualClock();
  const { logger, entries } = captureLogger(options.logLevel);
  const random = options.random ?? 0;
  const source = create({ logger, clock, stateDir: '/nonexistent', random: () => random });
  const h: Omit<Harness, 'running' | 'stop'> = {
    source,
    clock,
    events: [],
    states: [],
    discards: [],
    usage: [],
    reconnects: [],
    logs: entries,
  };
  source.on('event', (e) => h.events.push(e));
  source.on('state', (s) => h.states.push(s));
  source.on('discard', (d) => h.discards.push(d));
  source.on('usage', (u) => h.usage.push(u));
  source.on('reconnect', (r) => h.reconnects.push(r.reason));
  const controller = new AbortController();
  const running = source.start(controller.signal);
  return {
    ...h,
    running,
    async stop() {
      controller.abort(new Error('test over'));
      await running;
    },
  };
}
