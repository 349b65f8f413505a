/**
 * A room's spend for the current quota day, kept in state_dir
 * (`<state_dir>/youtube-quota/<source name>.json`), so that a restarted or crash-looping bridge
 * does not start the day at 0 units and overspend. Writes are atomic (temp file + rename) and
 * coalesced (at most one in flight, the newest state wins); a store that cannot be read or
 * written is logged once and otherwise ignored: the budget still works, per process.
 */
import { readFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { Logger } from '../../src/core/logger.js';
import type { QuotaDay } from './quota.js';

const QuotaDaySchema = z.strictObject({ resetAt: z.number().int().nonnegative(), used: z.number().int().nonnegative() });

/** The file of one source's quota day. */
export function quotaFileFor(stateDir: string, sourceName: string): string {
  return path.resolve(stateDir, 'youtube-quota', `${sourceName.replace(/[^A-Za-z0-9_.-]/g, '_')}.json`);
}

/** Loads and saves one source's quota day. */
export class QuotaStore {
  readonly file: string;
  readonly #logger: Logger;
  #writing: Promise<void> | undefined;
  #pending: QuotaDay | undefined;
  #warned = false;

  constructor(file: string, logger: Logger) {
    this.file = file;
    this.#logger = logger;
  }

  #warn(what: string, err: unknown): void {
    if (this.#warned) return;
    this.#warned = true;
    this.#logger.warn(`the quota store cannot be ${what}; the budget counts from 0 in each run`, {
      file: this.file,
      error: err instanceof Error ? err.message : String(err),
    });
  }

  /** The stored day, or undefined when there is none (or it is unreadable). */
  load(): QuotaDay | undefined {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') this.#warn('read', err);
      return undefined;
    }
    try {
      return QuotaDaySchema.parse(JSON.parse(text));
    } catch (err) {
      this.#warn('read', err);
      return undefined;
    }
  }

  /** Stores `day` soon (the newest of several quick saves wins). */
  save(day: QuotaDay): void {
    this.#pending = day;
    this.#writing ??= this.#drain().finally(() => {
      this.#writing = undefined;
    });
  }

  /** Resolves once every save so far is on disk (or has failed). */
  async flush(): Promise<void> {
    while (this.#writing) await this.#writing;
  }

  async #drain(): Promise<void> {
    for (let day = this.#pending; day; day = this.#pending) {
      this.#pending = undefined;
      const tmp = `${this.file}.${process.pid}.tmp`;
      try {
        await mkdir(path.dirname(this.file), { recursive: true });
        await writeFile(tmp, `${JSON.stringify(day)}\n`, { mode: 0o600 });
        await rename(tmp, this.file);
      } catch (err) {
        this.#warn('written', err);
      }
    }
  }
}
