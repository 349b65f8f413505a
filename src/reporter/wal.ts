/**
 * The spool file as a write-ahead log: JSON lines in the state directory, each either a record
 * (`{"o": offset, "s": arrival order, "e": event}`) or an acknowledgement (`{"a": [offsets]}`)
 * saying those records reached a final outcome (accepted by the sink, stale, rejected). Every
 * write is fsynced before it resolves; a record leaves the file only when a compaction rewrites
 * the file without its acknowledged records (to a temporary file, fsynced, renamed over the old
 * one). Lines of the earlier format (a bare event per line) are read as records too.
 */
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { BridgeEventSchema, type BridgeEvent } from '../core/events.js';

/** The spool file's name inside state_dir. */
export const SPOOL_FILE = 'reporter-spool.jsonl';

/** One record as written: its offset (unique in the file), its arrival order and its event. */
export interface WalRecord {
  offset: number;
  seq: number;
  event: BridgeEvent;
}

/** Where a record's line lies in the file. */
export interface Place {
  pos: number;
  len: number;
}

/** What a load found. */
export interface WalContents {
  /** Records without an acknowledgement, in file order. */
  live: WalRecord[];
  /** Events of acknowledged records (their ids are remembered, so a repeat is a duplicate). */
  acknowledged: BridgeEvent[];
  /** Lines that are neither (torn write, edited by hand, other version). */
  corrupt: number;
  /** The highest offset and arrival order seen (new ones continue after them). */
  maxOffset: number;
  maxSeq: number;
  /** Whether the file holds lines of the earlier format (a compaction rewrites them). */
  legacy: boolean;
}

const recordLine = (r: WalRecord) => JSON.stringify({ o: r.offset, s: r.seq, e: r.event }) + '\n';
/** The start of a record line as this module writes it, with its offset. */
const RECORD_HEAD = /^\{"o":(-?\d+),"s":-?\d+,"e":\{/;

/** Parses one line: a record, an acknowledgement, or undefined when it is neither. */
export function parseWalLine(line: string): { record: Omit<WalRecord, 'offset'> & { offset?: number } } | { ack: number[] } | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof raw !== 'object' || raw === null) return undefined;
  const o = raw as Record<string, unknown>;
  if (Array.isArray(o.a)) return o.a.every((n) => Number.isSafeInteger(n)) ? { ack: o.a as number[] } : undefined;
  if ('e' in o) {
    if (!Number.isSafeInteger(o.o) || !Number.isSafeInteger(o.s)) return undefined;
    const event = BridgeEventSchema.safeParse(o.e);
    return event.success ? { record: { offset: o.o as number, seq: o.s as number, event: event.data } } : undefined;
  }
  const legacy = BridgeEventSchema.safeParse(raw);
  return legacy.success ? { record: { seq: 0, event: legacy.data } } : undefined;
}

/** The write-ahead log described in the module comment; one per state_dir, every operation serialised. */
export class Wal {
  readonly file: string;
  #size = 0;
  /** Records in the file, acknowledged or not. */
  #records = 0;
  /** Where each record without an acknowledgement lies. */
  readonly #places = new Map<number, Place>();
  /** File operations run one after another, in call order. */
  #chain: Promise<unknown> = Promise.resolve();
  #pending = 0;

  constructor(stateDir: string) {
    this.file = path.join(stateDir, SPOOL_FILE);
  }

  /** The file's size in bytes. */
  get bytes(): number {
    return this.#size;
  }

  /** File operations queued or running. */
  get busy(): boolean {
    return this.#pending > 0;
  }

  /** Whether a compaction would pay: no record is live, or acknowledged ones outnumber live ones in a file over `minBytes`. */
  wantsCompaction(minBytes: number): boolean {
    const live = this.#places.size;
    return (live === 0 && this.#records > 0) || (this.#records - live > live && this.#size > minBytes);
  }

  /** Reads the whole file (nothing when there is none). */
  load(): Promise<WalContents> {
    return this.#serial(async () => {
      const contents: WalContents = { live: [], acknowledged: [], corrupt: 0, maxOffset: 0, maxSeq: 0, legacy: false };
      try {
        this.#size = (await stat(this.file)).size;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return contents;
        throw err;
      }
      const byOffset = new Map<number, WalRecord & Place>();
      const acked = new Set<number>();
      let pos = 0;
      let legacyOffset = 0;
      for await (const line of lines(this.file)) {
        const len = Buffer.byteLength(line) + 1;
        const parsed = line.trim() === '' ? null : parseWalLine(line);
        if (parsed === undefined) contents.corrupt += 1;
        else if (parsed && 'ack' in parsed) for (const o of parsed.ack) acked.add(o);
        else if (parsed) {
          const { record } = parsed;
          if (record.offset === undefined) {
            contents.legacy = true;
            // Lines of the earlier format get offsets below every real one; a compaction writes them with those.
            legacyOffset -= 1;
          }
          const offset = record.offset ?? legacyOffset;
          if (!byOffset.has(offset)) this.#records += 1;
          byOffset.set(offset, { ...record, offset, pos, len });
          contents.maxOffset = Math.max(contents.maxOffset, offset);
          contents.maxSeq = Math.max(contents.maxSeq, record.seq);
        }
        pos += len;
      }
      for (const record of byOffset.values()) {
        if (acked.has(record.offset)) contents.acknowledged.push(record.event);
        else {
          contents.live.push(record);
          this.#places.set(record.offset, { pos: record.pos, len: record.len });
        }
      }
      return contents;
    });
  }

  /** Resolves once every operation called so far has finished. */
  idle(): Promise<void> {
    return this.#serial(async () => undefined);
  }

  /** Appends records (fsynced). */
  append(records: readonly WalRecord[]): Promise<void> {
    const texts = records.map(recordLine);
    return this.#serial(async () => {
      let pos = this.#size;
      const places = texts.map((text) => {
        const place = { pos, len: Buffer.byteLength(text) };
        pos += place.len;
        return place;
      });
      await this.#write(texts.join(''));
      records.forEach((r, i) => this.#places.set(r.offset, places[i]!));
      this.#records += records.length;
    });
  }

  /** Appends an acknowledgement of these offsets (fsynced): their records are done. */
  acknowledge(offsets: readonly number[]): Promise<void> {
    const line = JSON.stringify({ a: offsets }) + '\n';
    return this.#serial(async () => {
      for (const o of offsets) this.#places.delete(o);
      await this.#write(line);
    });
  }

  /** Reads the live records of these offsets, in the given order (neighbouring lines in one read). */
  read(offsets: readonly number[]): Promise<WalRecord[]> {
    return this.#serial(async () => {
      const wanted = offsets.map((offset) => {
        const place = this.#places.get(offset);
        if (!place) throw new Error(`spool record ${offset} is not in the file`);
        return { offset, ...place };
      });
      const byPos = [...wanted].sort((x, y) => x.pos - y.pos);
      const text = new Map<number, string>();
      const handle = await open(this.file, 'r');
      try {
        for (let i = 0; i < byPos.length;) {
          let j = i;
          while (j + 1 < byPos.length && byPos[j + 1]!.pos === byPos[j]!.pos + byPos[j]!.len) j += 1;
          const start = byPos[i]!.pos;
          const buffer = Buffer.alloc(byPos[j]!.pos + byPos[j]!.len - start);
          await handle.read(buffer, 0, buffer.length, start);
          for (let k = i; k <= j; k++) {
            const w = byPos[k]!;
            text.set(w.offset, buffer.toString('utf8', w.pos - start, w.pos - start + w.len));
          }
          i = j + 1;
        }
      } finally {
        await handle.close();
      }
      return wanted.map(({ offset, pos }) => {
        const parsed = parseWalLine(text.get(offset)!.trimEnd());
        if (!parsed || !('record' in parsed)) throw new Error(`the spool line at byte ${pos} is not a record`);
        return { ...parsed.record, offset };
      });
    });
  }

  /**
   * Rewrites the file with only its live records, in file order, through a temporary file that
   * is fsynced and renamed over it; removes the file when none is live.
   */
  compact(): Promise<void> {
    return this.#serial(async () => {
      const places = new Map<number, Place>();
      const kept: string[] = [];
      let size = 0;
      let legacyOffset = 0;
      try {
        for await (const line of lines(this.file)) {
          // Records are copied as they are; only lines of the earlier format are parsed and rewritten.
          const head = RECORD_HEAD.exec(line);
          let offset: number;
          let text: string;
          if (head) {
            offset = Number(head[1]);
            text = line + '\n';
          } else {
            const parsed = line.trim() === '' ? undefined : parseWalLine(line);
            if (!parsed || !('record' in parsed)) continue;
            if (parsed.record.offset === undefined) legacyOffset -= 1;
            offset = parsed.record.offset ?? legacyOffset;
            text = recordLine({ ...parsed.record, offset });
          }
          if (!this.#places.has(offset) || places.has(offset)) continue;
          places.set(offset, { pos: size, len: Buffer.byteLength(text) });
          size += Buffer.byteLength(text);
          kept.push(text);
        }
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
      if (kept.length === 0) {
        await rm(this.file, { force: true });
      } else {
        const temp = `${this.file}.compact`;
        const handle = await open(temp, 'w', 0o600);
        try {
          await handle.writeFile(kept.join(''));
          await handle.sync();
        } finally {
          await handle.close();
        }
        await rename(temp, this.file);
        await syncDirectory(path.dirname(this.file));
      }
      this.#size = size;
      this.#records = kept.length;
      this.#places.clear();
      for (const [o, p] of places) this.#places.set(o, p);
    });
  }

  async #write(text: string): Promise<void> {
    await mkdir(path.dirname(this.file), { recursive: true });
    const created = this.#size === 0;
    const handle: FileHandle = await open(this.file, 'a', 0o600);
    try {
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (created) await syncDirectory(path.dirname(this.file));
    this.#size += Buffer.byteLength(text);
  }

  #serial<T>(job: () => Promise<T>): Promise<T> {
    this.#pending += 1;
    const next = this.#chain.then(job, job).finally(() => {
      this.#pending -= 1;
    });
    this.#chain = next.catch(() => undefined);
    return next;
  }
}

function lines(file: string): AsyncIterable<string> {
  return createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
}

/** Makes a new file's directory entry durable too (POSIX); platforms that cannot fsync a directory skip it. */
async function syncDirectory(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // EISDIR / EPERM / EINVAL on platforms without directory fsync: the file itself is synced.
  } finally {
    await handle?.close();
  }
}
