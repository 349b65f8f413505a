/**
 * Batches: the frozen unit the reporter sends, retries and bisects. Its size in bytes is the size
 * of the serialised request body (`{"total":N,"events":[...]}` plus room for `review_config`).
 */
import type { BridgeEvent } from '../core/events.js';
import { toWireEvent, type WireEvent } from '../core/wire.js';
import { SEND_ORDER, type Entry, type EventQueue } from './queue.js';

/** Bytes of the body around the events: `{"total":1000,"events":[]}` and a `review_config`. */
export const BODY_OVERHEAD_BYTES = 96;

/** A batch as sent: entries in arrival order. */
export interface Batch {
  entries: Entry[];
  /** Send attempts so far. */
  attempts: number;
  /** Whether a `reauth` answer was already followed by reauthenticate() for this batch. */
  reauthed: boolean;
}

/** Computes (once) an entry's wire event and its serialised size. */
export function wireOf(entry: Entry): { wire: WireEvent; bytes: number } {
  if (entry.wire === undefined || entry.bytes === undefined) {
    entry.wire = toWireEvent(entry.event);
    entry.bytes = serialisedBytes(entry.wire) + 1; // +1 for the comma between events
  }
  return { wire: entry.wire, bytes: entry.bytes };
}

/**
 * UTF-8 bytes of `JSON.stringify(wire)`, without building that string: `content` is itself
 * JSON.stringify output (no raw control characters, no lone surrogates), so serialising it again
 * only escapes its quotes and backslashes, one extra byte each.
 */
export function serialisedBytes(wire: WireEvent): number {
  const { content } = wire;
  let escapes = 0;
  for (let i = 0; i < content.length; i++) {
    const c = content.charCodeAt(i);
    if (c === 0x22 || c === 0x5c) escapes += 1;
  }
  // {"timestamp":N,"type":N,"content":"…"}
  return 35 + String(wire.timestamp).length + String(wire.type).length + Buffer.byteLength(content) + escapes;
}

/** The body size of a batch of these entries. */
export function bodyBytes(entries: readonly Entry[]): number {
  let bytes = BODY_OVERHEAD_BYTES;
  for (const entry of entries) bytes += wireOf(entry).bytes;
  return bytes;
}

/** A fresh batch of these entries, sorted into arrival order. */
export function newBatch(entries: Entry[]): Batch {
  return { entries: entries.sort((a, b) => a.seq - b.seq), attempts: 0, reauthed: false };
}

/** Splits a batch in two halves (for isolating an event the API rejects); order kept. */
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
  limits: { maxEvents: number; maxBytes: number },
  hooks: { isStale(event: BridgeEvent): boolean; drop(event: BridgeEvent, reason: 'stale' | 'too_large'): void },
): Batch | null {
  const entries: Entry[] = [];
  let bytes = BODY_OVERHEAD_BYTES;
  fill: for (const kind of SEND_ORDER) {
    for (let entry = queue.peek(kind); entry && entries.length < limits.maxEvents; entry = queue.peek(kind)) {
      if (hooks.isStale(entry.event)) {
        hooks.drop(queue.shift(kind)!.event, 'stale');
        continue;
      }
      const size = wireOf(entry).bytes;
      if (BODY_OVERHEAD_BYTES + size > limits.maxBytes) {
        hooks.drop(queue.shift(kind)!.event, 'too_large');
        continue;
      }
      if (bytes + size > limits.maxBytes) break fill;
      entries.push(queue.shift(kind)!);
      bytes += size;
    }
    if (entries.length >= limits.maxEvents) break;
  }
  return entries.length > 0 ? newBatch(entries) : null;
}
