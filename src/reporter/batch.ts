/**
 * Batches: the frozen unit the reporter sends, retries and bisects. Its size in bytes is what the
 * sink's encoder says the request body will hold: the reporter never sees the wire's shape.
 */
import type { BridgeEvent } from '../core/events.js';
import type { SinkEncoder } from '../core/sink.js';
import { SEND_ORDER, type Entry, type EventQueue } from './queue.js';

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

/**
 * Takes a new batch from the queue: kinds from the most important down, oldest first within a
 * kind, up to `maxEvents` and `maxBytes` of body; stale events met on the way are dropped, and so
 * is an event too large for any batch. The batch is ordered by arrival. Null when nothing was taken.
 */
export function fillBatch(
  queue: EventQueue,
  limits: { maxEvents: number; maxBytes: number; encoder: SinkEncoder<unknown> },
  hooks: { isStale(event: BridgeEvent): boolean; drop(event: BridgeEvent, reason: 'stale' | 'too_large'): void },
): Batch | null {
  const { encoder } = limits;
  const maxEvents = Math.min(limits.maxEvents, encoder.maxItems);
  const entries: Entry[] = [];
  let bytes = encoder.overheadBytes;
  fill: for (const kind of SEND_ORDER) {
    for (let entry = queue.peek(kind); entry && entries.length < maxEvents; entry = queue.peek(kind)) {
      if (hooks.isStale(entry.event)) {
        hooks.drop(queue.shift(kind)!.event, 'stale');
        continue;
      }
      const size = itemOf(entry, encoder).bytes;
      if (encoder.overheadBytes + size > limits.maxBytes) {
        hooks.drop(queue.shift(kind)!.event, 'too_large');
        continue;
      }
      if (bytes + size > limits.maxBytes) break fill;
      entries.push(queue.shift(kind)!);
      bytes += size;
    }
    if (entries.length >= maxEvents) break;
  }
  return entries.length > 0 ? newBatch(entries) : null;
}
