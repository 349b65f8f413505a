/**
 * The spool: gifts, follows and comments that could not be delivered before shutdown (or during a
 * long outage), as JSON lines in the state directory, fsynced before append() resolves. Read back
 * (validated line by line: a corrupt line is skipped and counted) and removed at start.
 */
import { mkdir, open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { BridgeEventSchema, type BridgeEvent } from '../core/events.js';

/** The spool file's name inside state_dir. */
export const SPOOL_FILE = 'reporter-spool.jsonl';

/** What a spool file held. */
export interface SpoolContents {
  events: BridgeEvent[];
  /** Lines that were not a valid event (torn write, edited by hand, other version). */
  corrupt: number;
}

/** One spool file: serialised, fsynced appends and a read-and-remove take(). */
export class Spool {
  readonly file: string;
  /** Lines durably written since the file was last taken. */
  #written = 0;
  /** Lines handed to append() and not written yet. */
  #writing = 0;
  #bytes = 0;
  /** Appends and reads run one after another, in call order. */
  #chain: Promise<unknown> = Promise.resolve();

  constructor(stateDir: string) {
    this.file = path.join(stateDir, SPOOL_FILE);
  }

  /** Events appended (or being appended) since the file was last taken. */
  get events(): number {
    return this.#written + this.#writing;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /** Appends events as lines and fsyncs the file before resolving. */
  append(events: readonly BridgeEvent[]): Promise<void> {
    const text = events.map((e) => JSON.stringify(e) + '\n').join('');
    this.#writing += events.length;
    return this.#serial(async () => {
      try {
        if (events.length === 0) return;
        await mkdir(path.dirname(this.file), { recursive: true });
        const created = this.#written === 0;
        const handle = await open(this.file, 'a', 0o600);
        try {
          await handle.writeFile(text);
          await handle.sync();
        } finally {
          await handle.close();
        }
        if (created) await syncDirectory(path.dirname(this.file));
        this.#written += events.length;
        this.#bytes += Buffer.byteLength(text);
      } finally {
        this.#writing -= events.length;
      }
    });
  }

  /** Reads every event back and removes the file (nothing when there is none). */
  take(): Promise<SpoolContents> {
    return this.#serial(async () => {
      let text: string;
      try {
        text = await readFile(this.file, 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { events: [], corrupt: 0 };
        throw err;
      }
      const contents = parseSpool(text);
      await rm(this.file, { force: true });
      this.#written = 0;
      this.#bytes = 0;
      return contents;
    });
  }

  #serial<T>(job: () => Promise<T>): Promise<T> {
    const next = this.#chain.then(job, job);
    this.#chain = next.catch(() => undefined);
    return next;
  }
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

/** Parses spool text: one event per line; blank lines ignored; anything else counted as corrupt. */
export function parseSpool(text: string): SpoolContents {
  const events: BridgeEvent[] = [];
  let corrupt = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const parsed = BridgeEventSchema.safeParse(JSON.parse(line));
      if (parsed.success) events.push(parsed.data);
      else corrupt += 1;
    } catch {
      corrupt += 1;
    }
  }
  return { events, corrupt };
}
