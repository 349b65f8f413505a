/**
 * The reporter's spool: durable copies of the events that matter (gifts, subscriptions, follows,
 * comments) in the write-ahead log, and the overflow of the in-memory queue. An event is written
 * once it has waited `spool_after_ms` wherever it waits, when the queue has no room for it, and
 * at shutdown; it leaves the file only once it reached a final outcome (accepted, stale,
 * rejected): the reporter acknowledges it, and compaction drops acknowledged records. Events that
 * live only in the file (the backlog) are indexed in memory by kind, arrival order, timestamp and
 * size, so batches take them by priority exactly like queued ones, reading them back when sent.
 */
import { EVENT_KINDS, type BridgeEvent, type EventKind } from '../core/events.js';
import type { Logger } from '../core/logger.js';
import type { SinkEncoder } from '../core/sink.js';
import type { EventStats } from '../core/stats.js';
import { TtlSet } from '../core/ttl-set.js';
import type { Entry } from './queue.js';
import { Wal } from './wal.js';

const DEFAULTS = {
  /** Ids of spooled events are remembered this long after a restart, so a platform's repeat is a duplicate. */
  knownIdsTtlMs: 600_000,
  knownIdsMax: 200_000,
  /** A compaction runs once acknowledged records outnumber live ones in a file at least this large. */
  compactAboveBytes: 1024 * 1024,
} as const;

/** The kinds the spool keeps: what must survive restarts and long outages. */
export const DURABLE: ReadonlySet<EventKind> = new Set<EventKind>(['gift', 'subscribe', 'follow', 'comment']);
/**
 * The kinds that go to the spool when memory is full instead of being dropped: the ones that
 * stay fresh for minutes. A comment (fresh for 30 s) that finds no room is dropped as before: it
 * would be stale before an overloaded reporter reached it, and writing every one costs I/O.
 */
export const OVERFLOW: ReadonlySet<EventKind> = new Set<EventKind>(['gift', 'subscribe', 'follow']);

/** An event that lives only in the file, as the batcher sees it. */
export interface SpoolRef {
  offset: number;
  seq: number;
  kind: EventKind;
  ts: number;
  /** Bytes its item adds to a request body (the sink's encoder, computed when it was spilled). */
  bytes: number;
}

/** What the spool shares with the reporter: counters, logger, the sink's encoder, and the size cap. */
export interface SpoolDeps {
  stats: EventStats;
  logger: Logger;
  encoder: SinkEncoder<unknown>;
  /** The file may not grow beyond this; what does not fit is dropped (`spool_full`). */
  maxBytes: number;
  /** Called when events enter the backlog (the send loop may have something to send again). */
  onBacklog?: () => void;
}

const keyOf = (e: Pick<BridgeEvent, 'platform' | 'id'>) => `${e.platform}\u0000${e.id}`;

/** Inserts by arrival order (spills mostly land at the end). */
function insertBySeq(list: SpoolRef[], ref: SpoolRef): void {
  let i = list.length;
  while (i > 0 && list[i - 1]!.seq > ref.seq) i -= 1;
  list.splice(i, 0, ref);
}

/** The spool described in the module comment. */
export class Spool {
  readonly #wal: Wal;
  readonly #d: SpoolDeps;
  readonly #backlog = Object.fromEntries(EVENT_KINDS.map((k) => [k, [] as SpoolRef[]])) as Record<EventKind, SpoolRef[]>;
  #backlogSize = 0;
  /** Events leaving memory whose record is still being written. */
  #moving = 0;
  /** Records being written (offset → the write), so a spill can wait for its record. */
  readonly #writing = new Map<number, Promise<boolean>>();
  /** Entries waiting for the next grouped write, and when it is done. */
  #group: { entries: Entry[]; written: Promise<boolean>; resolve: (ok: boolean) => void; estimate: number } | null = null;
  #flushing = false;
  /** Bytes promised to writes not yet made, for the size cap. */
  #reserved = 0;
  readonly #known = new TtlSet(DEFAULTS.knownIdsMax, DEFAULTS.knownIdsTtlMs);
  #nextOffset = 1;
  #acks: number[] = [];
  #ackQueued = false;
  #compacting = false;

  constructor(stateDir: string, deps: SpoolDeps) {
    this.#wal = new Wal(stateDir);
    this.#d = deps;
  }

  get file(): string {
    return this.#wal.file;
  }

  /** Events kept only in the file (or on their way there). */
  get events(): number {
    return this.#backlogSize + this.#moving;
  }

  get bytes(): number {
    return this.#wal.bytes;
  }

  /** Whether file work is queued or running. */
  get busy(): boolean {
    return this.#wal.busy || this.#moving > 0 || this.#flushing || this.#group !== null;
  }

  /**
   * Reads the file left by an earlier process: its live records become the backlog (counted as
   * received, each), stale ones are dropped and acknowledged, and every id in the file is
   * remembered. Never removes a record that has not reached an outcome. Returns the highest
   * arrival order seen, so new arrivals sort after the backlog.
   */
  async load(now: number, isStale: (kind: EventKind, ts: number) => boolean): Promise<number> {
    let contents;
    try {
      contents = await this.#wal.load();
    } catch (err) {
      this.#d.logger.error('could not read the spool', { file: this.file, error: err instanceof Error ? err.message : String(err) });
      return 0;
    }
    const { live, acknowledged, corrupt, maxOffset, maxSeq, legacy } = contents;
    this.#nextOffset = Math.max(0, maxOffset) + 1;
    if (corrupt > 0) {
      this.#d.stats.countDiscarded('reporter-spool', 'corrupt_line', corrupt);
      this.#d.logger.warn('skipped corrupt spool lines', { file: this.file, lines: corrupt });
    }
    for (const event of acknowledged) this.#known.add(keyOf(event), now);
    const done: number[] = [];
    let fresh = 0;
    for (const { offset, seq, event } of live) {
      this.#d.stats.countReceived(event.kind);
      const key = keyOf(event);
      if (this.#known.has(key, now)) {
        this.#d.stats.countDropped(event.kind, { reason: 'duplicate', intentional: true });
        done.push(offset);
      } else if (isStale(event.kind, event.ts)) {
        this.#d.stats.countDropped(event.kind, { reason: 'stale', intentional: true });
        done.push(offset);
      } else {
        insertBySeq(this.#backlog[event.kind], { offset, seq, kind: event.kind, ts: event.ts, bytes: this.#bytesOf(event) });
        this.#backlogSize += 1;
        fresh += 1;
      }
      this.#known.add(key, now);
    }
    if (live.length > 0 || corrupt > 0) this.#d.logger.info('spool loaded', { file: this.file, records: live.length, fresh, corrupt });
    if (done.length > 0) this.#acknowledge(done);
    if (legacy) void this.#compact();
    return maxSeq;
  }

  /** Whether this event is in the spool or was in the file at start (a repeat of it is a duplicate). */
  isKnown(event: BridgeEvent, now: number): boolean {
    // Only a spool file from an earlier process fills this memory: usually empty, and then no key is built.
    return this.#known.size > 0 && this.#known.has(keyOf(event), now);
  }

  /**
   * Writes records for entries that have none; they stay where they are (in memory). Writes are
   * grouped: one append and one fsync for everything asked while the previous one ran.
   */
  persist(entries: readonly Entry[]): void {
    const todo = entries.filter((e) => e.offset === undefined);
    if (todo.length === 0) return;
    const estimate = todo.reduce((n, e) => n + (e.bytes ?? 200) + 64, 0);
    if (this.#wal.bytes + this.#reserved + estimate > this.#d.maxBytes) {
      this.#d.logger.warn('spool full: events stay in memory only', { file: this.file, events: todo.length, bytes: this.#wal.bytes });
      return;
    }
    this.#reserved += estimate;
    if (!this.#group) {
      let resolve!: (ok: boolean) => void;
      const written = new Promise<boolean>((r) => (resolve = r));
      this.#group = { entries: [], written, resolve, estimate: 0 };
      queueMicrotask(() => this.#flush());
    }
    const group = this.#group;
    group.estimate += estimate;
    for (const entry of todo) {
      entry.offset = this.#nextOffset++;
      group.entries.push(entry);
      this.#writing.set(entry.offset, group.written);
    }
  }

  #flush(): void {
    if (this.#flushing || !this.#group) return;
    const group = this.#group;
    this.#group = null;
    this.#flushing = true;
    const records = group.entries.map((e) => ({ offset: e.offset!, seq: e.seq, event: e.event }));
    void this.#wal
      .append(records)
      .then(
        () => true,
        (err: unknown) => {
          this.#d.logger.error('could not write the spool', {
            file: this.file,
            events: records.length,
            error: err instanceof Error ? err.message : String(err),
          });
          return false;
        },
      )
      .then((ok) => {
        for (const entry of group.entries) {
          this.#writing.delete(entry.offset!);
          if (!ok) delete entry.offset;
        }
        this.#reserved -= group.estimate;
        this.#flushing = false;
        group.resolve(ok);
        this.#flush();
      });
  }

  /**
   * Moves entries out of memory into the backlog (writing their records first when needed).
   * One whose record cannot be written is lost: counted (`spool_full` or `spool_failed`).
   */
  spill(entries: readonly Entry[]): void {
    this.persist(entries);
    for (const entry of entries) {
      const { event } = entry;
      const bytes = entry.bytes ?? this.#bytesOf(event);
      if (entry.offset === undefined) {
        this.#d.stats.countDropped(event.kind, { reason: 'spool_full', intentional: false });
        continue;
      }
      const offset = entry.offset;
      const ref: SpoolRef = { offset, seq: entry.seq, kind: event.kind, ts: event.ts, bytes };
      const writing = this.#writing.get(offset);
      if (!writing) {
        this.#enter(ref);
        continue;
      }
      this.#moving += 1;
      void writing.then((ok) => {
        this.#moving -= 1;
        if (ok) this.#enter(ref);
        else this.#d.stats.countDropped(event.kind, { reason: 'spool_failed', intentional: false });
      });
    }
  }

  /** The oldest backlog event of a kind, left in place. */
  peek(kind: EventKind): SpoolRef | undefined {
    return this.#backlog[kind][0];
  }

  /** Removes the oldest backlog event of a kind (the caller reads it, or drops and acknowledges it). */
  shift(kind: EventKind): SpoolRef | undefined {
    const ref = this.#backlog[kind].shift();
    if (ref) this.#backlogSize -= 1;
    return ref;
  }

  /** Reads backlog events taken for a batch back into entries (with their records). */
  async read(refs: readonly SpoolRef[]): Promise<Entry[]> {
    const records = await this.#wal.read(refs.map((r) => r.offset));
    return records.map((r, i) => ({ event: r.event, seq: refs[i]!.seq, enqueuedAt: 0, offset: r.offset }));
  }

  /** Resolves once every write, spill and acknowledgement asked for so far is durable. */
  async drain(): Promise<void> {
    if (this.#acks.length > 0) {
      const offsets = this.#acks;
      this.#acks = [];
      this.#acknowledge(offsets);
    }
    this.#flush();
    do {
      await this.#wal.idle();
      await Promise.all([...this.#writing.values()]);
      if (this.#acks.length > 0) {
        const offsets = this.#acks;
        this.#acks = [];
        this.#acknowledge(offsets);
      }
    } while (this.#moving > 0 || this.#wal.busy || this.#flushing || this.#group !== null);
  }

  /** Marks records done (accepted, stale, rejected): acknowledged in the file soon, then compacted away. */
  done(offset: number | undefined): void {
    if (offset === undefined) return;
    const writing = this.#writing.get(offset);
    if (writing) {
      // Its record is not in the file yet: acknowledge it once it is (or never, if it never was).
      void writing.then((ok) => ok && this.done(offset));
      return;
    }
    this.#acks.push(offset);
    if (this.#ackQueued) return;
    this.#ackQueued = true;
    queueMicrotask(() => {
      this.#ackQueued = false;
      const offsets = this.#acks;
      this.#acks = [];
      this.#acknowledge(offsets);
    });
  }

  #acknowledge(offsets: number[]): void {
    void this.#wal
      .acknowledge(offsets)
      .then(() => {
        if (!this.#compacting && this.#wal.wantsCompaction(DEFAULTS.compactAboveBytes)) return this.#compact();
      })
      .catch((err: unknown) => {
        this.#d.logger.error('could not acknowledge spool records', {
          file: this.file,
          error: err instanceof Error ? err.message : String(err),
        });
      });
  }

  async #compact(): Promise<void> {
    this.#compacting = true;
    try {
      await this.#wal.compact();
    } catch (err) {
      this.#d.logger.error('could not compact the spool', { file: this.file, error: err instanceof Error ? err.message : String(err) });
    } finally {
      this.#compacting = false;
    }
  }

  #enter(ref: SpoolRef): void {
    insertBySeq(this.#backlog[ref.kind], ref);
    this.#backlogSize += 1;
    this.#d.onBacklog?.();
  }

  #bytesOf(event: BridgeEvent): number {
    return this.#d.encoder.bytes(this.#d.encoder.encode(event));
  }
}
