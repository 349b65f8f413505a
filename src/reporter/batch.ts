/**
 * Batches: the frozen unit the reporter sends, retries and bisects. Its size in bytes is what the
 * sink's encoder says the request body will hold: the reporter never sees the wire's shape.
 */
import type { EventKind } from '../core/events.js';
import type { SinkEncoder } from '../core/sink.js';
import { SEND_ORDER, type Entry, type EventQueue } from './queue.js';
import type { Spool, SpoolRef } from './spool.js';

/** A batch as sent: entries in arrival order. */
export interface Batch {
  entries: Entry[];
  /** Send attempts so far. */
  attempts: number;
  /** Whether a `reauth` answer was already followed by reauthenticate() for this batch. */
  reauthed: boolean;
}

/** Computes (once) an entry's item and its size in the body. */
export function itemOf(entry: Entry, encoder: SinkEncoder<unknown>): { item: unknown; bytes: number } {
  if (entry.bytes === undefined) {
    entry.item = encoder.encode(entry.event);
    entry.bytes = encoder.bytes(entry.item);
  }
  return { item: entry.item, bytes: entry.bytes };
}

/** The body size of a batch of these entries. */
export function bodyBytes(entries: readonly Entry[], encoder: SinkEncoder<unknown>): number {
  let bytes = encoder.overheadBytes;
  for (const entry of entries) bytes += itemOf(entry, encoder).bytes;
  return bytes;
}

/** A fresh batch of these entries, sorted into arrival order. */
export function newBatch(entries: Entry[]): Batch {
  return { entries: entries.sort((a, b) => a.seq - b.seq), attempts: 0, reauthed: false };
}

/** Splits a batch in two halves (for isolating an event the sink rejects); order kept. */
export function bisect(batch: Batch): [Batch, Batch] {
  const mid = Math.ceil(batch.entries.length / 2);
  return [
    { entries: batch.entries.slice(0, mid), attempts: 0, reauthed: false },
    { entries: batch.entries.slice(mid), attempts: 0, reauthed: false },
  ];
}

/** A new batch before it is read: queued entries and backlog events of the spool, by priority. */
export interface BatchPlan {
  entries: Entry[];
  refs: SpoolRef[];
}

/** What the planner may do to events it meets: judge their age, and drop them with a reason. */
export interface PlanHooks {
  isStale(kind: EventKind, ts: number): boolean;
  drop(what: { entry: Entry } | { ref: SpoolRef }, reason: 'stale' | 'too_large'): void;
}

/**
 * Takes a new batch: kinds from the most important down; within a kind, oldest first across the
 * queue and the spool's backlog (so the spool is drained by priority, never around it); up to
 * `maxEvents` and `maxBytes` of body. Stale events met on the way are dropped, and so is an event
 * too large for any batch. Null when nothing was taken.
 */
export function planBatch(
  queue: EventQueue,
  spool: Pick<Spool, 'peek' | 'shift'>,
  limits: { maxEvents: number; maxBytes: number; encoder: SinkEncoder<unknown> },
  hooks: PlanHooks,
): BatchPlan | null {
  const { encoder } = limits;
  const maxEvents = Math.min(limits.maxEvents, encoder.maxItems);
  const plan: BatchPlan = { entries: [], refs: [] };
  let count = 0;
  let bytes = encoder.overheadBytes;
  fill: for (const kind of SEND_ORDER) {
    while (count < maxEvents) {
      const entry = queue.peek(kind);
      const ref = spool.peek(kind);
      if (!entry && !ref) break;
      const fromSpool = ref !== undefined && (entry === undefined || ref.seq < entry.seq);
      const ts = fromSpool ? ref.ts : entry!.event.ts;
      if (hooks.isStale(kind, ts)) {
        hooks.drop(fromSpool ? { ref: spool.shift(kind)! } : { entry: queue.shift(kind)! }, 'stale');
        continue;
      }
      const size = fromSpool ? ref.bytes : itemOf(entry!, encoder).bytes;
      if (encoder.overheadBytes + size > limits.maxBytes) {
        hooks.drop(fromSpool ? { ref: spool.shift(kind)! } : { entry: queue.shift(kind)! }, 'too_large');
        continue;
      }
      if (bytes + size > limits.maxBytes) break fill;
      if (fromSpool) plan.refs.push(spool.shift(kind)!);
      else plan.entries.push(queue.shift(kind)!);
      count += 1;
      bytes += size;
    }
    if (count >= maxEvents) break;
  }
  return count > 0 ? plan : null;
}
