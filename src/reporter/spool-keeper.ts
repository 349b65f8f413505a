/**
 * The reporter's use of the spool: writes that count a failure as a loss, and replays that
 * validate, deduplicate by id and drop what went stale, remembering the replayed ids so that a
 * source sending the same messages again after a restart does not make them go out twice.
 */
import type { BridgeEvent } from '../core/events.js';
import type { Logger } from '../core/logger.js';
import type { EventStats } from '../core/stats.js';
import { TtlSet } from '../core/ttl-set.js';
import { Spool } from './spool.js';

const DEFAULTS = { replayedIdsTtlMs: 600_000, replayedIdsMax: 100_000 } as const;

/** What the keeper shares with the reporter: counters, logger, its staleness rule and its drop accounting. */
export interface SpoolKeeperDeps {
  stats: EventStats;
  logger: Logger;
  isStale(event: BridgeEvent, now: number): boolean;
  drop(event: BridgeEvent, reason: string, intentional: boolean): void;
}

/** The reporter's use of the spool, as the module comment describes. */
export class SpoolKeeper {
  readonly #spool: Spool;
  readonly #replayed = new TtlSet(DEFAULTS.replayedIdsMax, DEFAULTS.replayedIdsTtlMs);
  readonly #d: SpoolKeeperDeps;

  constructor(stateDir: string, deps: SpoolKeeperDeps) {
    this.#spool = new Spool(stateDir);
    this.#d = deps;
  }

  get file(): string {
    return this.#spool.file;
  }

  /** Events in the spool (written or being written) that were not replayed yet. */
  get events(): number {
    return this.#spool.events;
  }

  get bytes(): number {
    return this.#spool.bytes;
  }

  /** Whether this event came out of the spool recently (a repeat of it is a duplicate). */
  wasReplayed(event: BridgeEvent, now: number): boolean {
    return this.#replayed.has(`${event.platform}\u0000${event.id}`, now);
  }

  /** Appends events (fsynced); a failed write is counted as a loss and logged, never thrown. */
  async write(events: BridgeEvent[]): Promise<void> {
    try {
      await this.#spool.append(events);
    } catch (err) {
      for (const event of events) this.#d.drop(event, 'spool_failed', false);
      this.#d.logger.error('could not write the spool', {
        file: this.#spool.file,
        events: events.length,
        error: err instanceof Error ? err.message : String(err),
      });
    }
  }

  /**
   * Takes the spool's events and removes the file; returns the fresh ones not seen before, in
   * spool order. Corrupt lines are counted as discards, stale and repeated events as drops.
   * `countReceived` counts each as received (a new process; not for a replay after an outage).
   */
  async replay(countReceived: boolean, now: number): Promise<BridgeEvent[]> {
    let contents;
    try {
      contents = await this.#spool.take();
    } catch (err) {
      this.#d.logger.error('could not read the spool', { file: this.#spool.file, error: err instanceof Error ? err.message : String(err) });
      return [];
    }
    const { events, corrupt } = contents;
    if (events.length === 0 && corrupt === 0) return [];
    if (corrupt > 0) {
      this.#d.stats.countDiscarded('reporter-spool', 'corrupt_line', corrupt);
      this.#d.logger.warn('skipped corrupt spool lines', { file: this.#spool.file, lines: corrupt });
    }
    const fresh: BridgeEvent[] = [];
    // Duplicates are looked for within this file only: an event replayed after one outage and
    // spooled again in the next was never sent, so an earlier replay must not hide it.
    const inFile = new Set<string>();
    for (const event of events) {
      if (countReceived) this.#d.stats.countReceived(event.kind);
      const key = `${event.platform}\u0000${event.id}`;
      if (inFile.has(key)) {
        this.#d.drop(event, 'duplicate', true);
        continue;
      }
      inFile.add(key);
      this.#replayed.add(key, now);
      if (this.#d.isStale(event, now)) this.#d.drop(event, 'stale', true);
      else fresh.push(event);
    }
    this.#d.logger.info('spool replayed', { events: events.length, fresh: fresh.length, corrupt });
    return fresh;
  }
}
