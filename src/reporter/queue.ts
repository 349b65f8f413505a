/**
 * The reporter's bounded in-memory priority queue: one FIFO per kind. Viewer counts coalesce (the
 * latest per source replaces the queued one); when full, the oldest event of the least important
 * non-empty kind gives way (viewers < likes < joins < comments < follows < subscriptions <
 * gifts), unless the newcomer is less important than everything queued, in which case the
 * newcomer is refused. What gives way is the reporter's to place: the spool takes the kinds it
 * keeps, the rest are dropped.
 */
import { EVENT_KINDS, type BridgeEvent, type EventKind } from '../core/events.js';
import { zeroCounts, type KindCounts } from '../core/stats.js';

/** A queued event, with its arrival order and (once computed) the sink's item for it and its size. */
export interface Entry {
  event: BridgeEvent;
  /** Arrival order (across restarts: the spool's backlog keeps its own, older ones). */
  seq: number;
  /** When the reporter took it (ms epoch), for `spool_after_ms`. */
  enqueuedAt: number;
  /** Its record in the spool's write-ahead log, once written. */
  offset?: number;
  /** The sink encoder's item (opaque to the reporter). */
  item?: unknown;
  /** Bytes the item adds to the request body, as the sink's encoder counts them. */
  bytes?: number;
}

/** A FIFO with O(1) push and shift (a growing array with a moving head, compacted now and then). */
class Fifo {
  #items: Entry[] = [];
  #head = 0;

  get size(): number {
    return this.#items.length - this.#head;
  }

  push(entry: Entry): void {
    this.#items.push(entry);
  }

  peek(): Entry | undefined {
    return this.#items[this.#head];
  }

  shift(): Entry | undefined {
    const entry = this.#items[this.#head];
    if (entry === undefined) return undefined;
    this.#head += 1;
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return entry;
  }

  /** Calls `visit` on entries from the oldest until it returns false. */
  scan(visit: (e: Entry) => boolean): void {
    for (let i = this.#head; i < this.#items.length; i++) if (!visit(this.#items[i]!)) return;
  }

  /** Removes and returns the first entry matching `match`. */
  removeFirst(match: (e: Entry) => boolean): Entry | undefined {
    for (let i = this.#head; i < this.#items.length; i++) {
      const entry = this.#items[i]!;
      if (match(entry)) {
        this.#items.splice(i, 1);
        return entry;
      }
    }
    return undefined;
  }

  /** Removes and returns every entry matching `match`, keeping the others in order. */
  removeAll(match: (e: Entry) => boolean): Entry[] {
    const removed: Entry[] = [];
    const kept: Entry[] = [];
    for (let i = this.#head; i < this.#items.length; i++) {
      const entry = this.#items[i]!;
      (match(entry) ? removed : kept).push(entry);
    }
    this.#items = kept;
    this.#head = 0;
    return removed;
  }
}

/** What happened to an offered event. */
export type Offer = { kind: 'queued'; evicted?: Entry; replaced?: Entry } | { kind: 'refused'; entry: Entry };

/** Kinds from the most to the least important: the order batches are filled in. */
export const SEND_ORDER: readonly EventKind[] = [...EVENT_KINDS].reverse();

/** The plain outcome, shared: an offer that neither evicts nor replaces allocates nothing for its answer. */
const QUEUED: Offer = Object.freeze({ kind: 'queued' });

const RANK: Record<EventKind, number> = Object.fromEntries(EVENT_KINDS.map((k, i) => [k, i])) as Record<EventKind, number>;

/** The bounded per-kind priority queue described in the module comment. */
export class EventQueue {
  readonly #fifos = Object.fromEntries(EVENT_KINDS.map((k) => [k, new Fifo()])) as Record<EventKind, Fifo>;
  readonly #max: number;
  #size = 0;
  #seq = 0;

  constructor(maxEvents: number) {
    this.#max = maxEvents;
  }

  get size(): number {
    return this.#size;
  }

  get capacity(): number {
    return this.#max;
  }

  sizeByKind(): KindCounts {
    const counts = zeroCounts();
    for (const kind of EVENT_KINDS) counts[kind] = this.#fifos[kind].size;
    return counts;
  }

  /** Offers an event; see the module comment for the full and coalescing rules. */
  offer(event: BridgeEvent, now: number): Offer {
    const entry: Entry = { event, seq: this.#seq++, enqueuedAt: now };
    if (event.kind === 'viewers') {
      const replaced = this.#fifos.viewers.removeFirst((e) => e.event.source === event.source);
      if (replaced) {
        this.#fifos.viewers.push(entry);
        return { kind: 'queued', replaced };
      }
    }
    let evicted: Entry | undefined;
    if (this.#size >= this.#max) {
      const lowest = EVENT_KINDS.find((k) => this.#fifos[k].size > 0);
      if (lowest === undefined || RANK[event.kind] < RANK[lowest]) return { kind: 'refused', entry };
      evicted = this.#fifos[lowest].shift();
      this.#size -= 1;
    }
    this.#fifos[event.kind].push(entry);
    this.#size += 1;
    return evicted ? { kind: 'queued', evicted } : QUEUED;
  }

  /** Makes later arrivals sort after `seq` (the spool's backlog from an earlier process). */
  startSeqAfter(seq: number): void {
    this.#seq = Math.max(this.#seq, seq + 1);
  }

  /** Calls `visit` on one kind's entries from the oldest until it returns false. */
  scan(kind: EventKind, visit: (e: Entry) => boolean): void {
    this.#fifos[kind].scan(visit);
  }

  /** The oldest queued entry of one kind, left in place. */
  peek(kind: EventKind): Entry | undefined {
    return this.#fifos[kind].peek();
  }

  shift(kind: EventKind): Entry | undefined {
    const entry = this.#fifos[kind].shift();
    if (entry) this.#size -= 1;
    return entry;
  }

  /** Removes every entry matching `match` (stale sweeps, spooling), in queue order per kind. */
  removeAll(match: (e: Entry) => boolean): Entry[] {
    const removed: Entry[] = [];
    for (const kind of EVENT_KINDS) removed.push(...this.#fifos[kind].removeAll(match));
    this.#size -= removed.length;
    return removed;
  }

  /** Removes the stale entries at the head of each FIFO (cheap; batches re-check every entry). */
  expireHeads(isStale: (e: Entry) => boolean): Entry[] {
    const removed: Entry[] = [];
    for (const kind of EVENT_KINDS) {
      const fifo = this.#fifos[kind];
      for (let head = fifo.peek(); head && isStale(head); head = fifo.peek()) removed.push(fifo.shift()!);
    }
    this.#size -= removed.length;
    return removed;
  }

  /** The smallest event timestamp among the FIFO heads, or null when empty. */
  oldestTs(): number | null {
    let oldest: number | null = null;
    for (const kind of EVENT_KINDS) {
      const head = this.#fifos[kind].peek();
      if (head && (oldest === null || head.event.ts < oldest)) oldest = head.event.ts;
    }
    return oldest;
  }
}
