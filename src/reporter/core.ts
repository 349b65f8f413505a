/**
 * The state the reporter's parts share (the send loop in reporter.ts, the answers in outcome.ts,
 * the stop path in shutdown.ts), and the rules they all apply: freshness, and drops that also
 * close an event's spool record.
 */
import type { EventKind } from '../core/events.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { Sink } from '../core/sink.js';
import type { DropReasonCode, EventStats } from '../core/stats.js';
import type { Backoff } from './backoff.js';
import type { Batch } from './batch.js';
import type { Circuit } from './circuit.js';
import type { Entry, EventQueue } from './queue.js';
import type { Spool } from './spool.js';
import type { ReporterOptions } from './types.js';

/** The kinds resent after a request that got no answer: a doubled thank-you beats a missed gift. */
export const RESEND_WHEN_UNCERTAIN: ReadonlySet<EventKind> = new Set<EventKind>(['gift', 'subscribe', 'follow']);

/** The reporter's shared state (one per reporter). */
export interface ReporterCore {
  readonly o: ReporterOptions;
  readonly sink: Sink;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly stats: EventStats;
  readonly queue: EventQueue;
  readonly spool: Spool;
  readonly circuit: Circuit;
  readonly backoff: Backoff;
  /** Frozen batches to send before anything new: a retry, or the halves of a bisection. */
  pending: Batch[];
  /** The batch being sent, and its settlement. */
  inFlight: { batch: Batch; size: number; done: Promise<void> } | null;
  lastSuccessAt: number | null;
  /** Whether events that waited spool_after_ms were written since the last success (logged once). */
  spooling: boolean;
  /** When the next scan for events that waited spool_after_ms is due. */
  nextPersistCheck: number;
}

/** Whether an event of this kind and timestamp is past its maximum age at `now`. */
export function isStale(c: ReporterCore, kind: EventKind, ts: number, now: number): boolean {
  const maxAge = c.o.max_age_ms[kind];
  return maxAge > 0 && now - ts > maxAge;
}

/** Drops an event with a reason (counted) and closes its spool record, if it has one. */
export function dropEntry(c: ReporterCore, entry: Entry, reason: DropReasonCode, intentional: boolean): void {
  c.stats.countDropped(entry.event.kind, { reason, intentional });
  c.spool.done(entry.offset);
}

/** Entries of the batches waiting to be sent again. */
export function pendingEntries(c: ReporterCore): Entry[] {
  return c.pending.flatMap((b) => b.entries);
}
