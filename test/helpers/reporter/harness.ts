/**
 * A reporter on a manual clock, a fake sink and a temporary state_dir, plus the accounting
 * identity every test can check.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ReporterSchema } from '../../../src/config/sections/reporter.js';
import { EVENT_KINDS, type BridgeEvent } from '../../../src/core/events.js';
import { EventStats } from '../../../src/core/stats.js';
import { createReporter, type Reporter } from '../../../src/reporter/index.js';
import { ManualClock } from '../clock.js';
import { silentLogger } from '../logger.js';
import { FakeSink, type Behaviour } from './fake-sink.js';
import type { Logger } from '../../../src/core/logger.js';

export interface Harness {
  clock: ManualClock;
  sink: FakeSink;
  stats: EventStats;
  reporter: Reporter;
  stateDir: string;
  /** Counts the event as received (as the pipeline would) and enqueues it. */
  push(event: BridgeEvent): void;
}

export function tempStateDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'reporter-test-'));
}

export function reporterHarness(
  overrides: Record<string, unknown> = {},
  opts: { behaviour?: Behaviour; clock?: ManualClock; stateDir?: string; logger?: Logger; stats?: EventStats; random?: () => number } = {},
): Harness {
  const clock = opts.clock ?? new ManualClock();
  const sink = new FakeSink(clock, opts.behaviour);
  const stats = opts.stats ?? new EventStats();
  const stateDir = opts.stateDir ?? tempStateDir();
  // Without the rate margin unless a test asks for it: timings read as the limit (the margin has its own tests).
  const config = ReporterSchema.parse({ rate_margin_ms: 0, ...overrides });
  const reporter = createReporter(
    { ...config, state_dir: stateDir },
    { sink, clock, logger: opts.logger ?? silentLogger(), stats, random: opts.random ?? (() => 0.5) },
  );
  return {
    clock,
    sink,
    stats,
    reporter,
    stateDir,
    push: (event) => {
      stats.countReceived(event.kind);
      reporter.enqueue(event);
    },
  };
}

/** received − (sent + dropped + coalesced + queued + in flight + spooled), per kind: all zero when nothing is lost. */
export function unaccounted(h: Pick<Harness, 'stats' | 'reporter'>): number {
  const status = h.reporter.status();
  let total = 0;
  for (const kind of EVENT_KINDS)
    total += h.stats.received[kind] - h.stats.sent[kind] - h.stats.droppedTotal(kind) - h.stats.coalesced[kind] - status.queuedByKind[kind];
  return total - status.inFlight - status.spooledEvents;
}

/** Lets queued microtasks and pending file work run. */
export async function settle(clock: ManualClock): Promise<void> {
  await clock.advanceAsync(0);
}
