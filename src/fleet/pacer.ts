/**
 * The process-wide connection pacer: one queue per upstream host group (p-queue, one task at a
 * time, first come first served, an aborted wait leaves the queue) and a sliding window on the
 * injected clock, so at most `connects` grants fall into any `interval_ms`. The kit's lifecycle
 * asks it before every room lookup and every connect; nothing else changes for a source.
 */
import PQueue from 'p-queue';
import { sleep, type Clock } from '../core/clock.js';
import type { PacingConfig } from '../config/sections/pacing.js';
import type { PacedCall, Pacer } from '../core/pacer.js';

/** One group's counters, for the metrics. */
export interface PacerGroupStatus {
  group: string;
  connects: number;
  intervalMs: number;
  /** Waiting for a slot now. */
  waiting: number;
  granted: Record<PacedCall, number>;
  /** Grants that were not immediate (queued behind others, or waiting for the window). */
  delayed: number;
  /** Milliseconds from asking to grant, summed. */
  waitedMs: number;
}

interface Group {
  status: PacerGroupStatus;
  queue: PQueue;
  /** Grant times of the last `connects` grants, oldest first. */
  recent: number[];
}

/** The pacer of one process; `reconfigure` is not offered: pacing changes need a restart. */
export class ConnectPacer implements Pacer {
  readonly #clock: Clock;
  readonly #config: PacingConfig;
  readonly #groupOf = new Map<string, string>();
  readonly #groups = new Map<string, Group>();

  constructor(config: PacingConfig, deps: { clock: Clock }) {
    this.#clock = deps.clock;
    this.#config = config;
    for (const [name, group] of Object.entries(config.groups)) for (const p of group.platforms) this.#groupOf.set(p, name);
  }

  /** The group a platform's connections count against. */
  groupOf(platform: string): string {
    return this.#groupOf.get(platform) ?? platform;
  }

  acquire(platform: string, call: PacedCall, signal: AbortSignal): Promise<void> {
    const group = this.#group(this.groupOf(platform));
    const askedAt = this.#clock.now();
    group.status.waiting += 1;
    return group.queue
      .add(
        async () => {
          const { connects, intervalMs } = group.status;
          if (group.recent.length >= connects) {
            const waitMs = (group.recent[0] as number) + intervalMs - this.#clock.now();
            if (waitMs > 0) await sleep(this.#clock, waitMs, signal);
          }
          const now = this.#clock.now();
          group.recent.push(now);
          if (group.recent.length > connects) group.recent.shift();
          group.status.granted[call] += 1;
          // Waiting counts from the ask: behind others in the queue, or for the window.
          if (now > askedAt) {
            group.status.delayed += 1;
            group.status.waitedMs += now - askedAt;
          }
        },
        { signal },
      )
      .finally(() => {
        group.status.waiting -= 1;
      });
  }

  /** Every group used so far. */
  status(): PacerGroupStatus[] {
    return [...this.#groups.values()].map((g) => ({ ...g.status, granted: { ...g.status.granted } }));
  }

  #group(name: string): Group {
    let group = this.#groups.get(name);
    if (!group) {
      const own = this.#config.groups[name];
      group = {
        status: {
          group: name,
          connects: own?.connects ?? this.#config.connects,
          intervalMs: own?.interval_ms ?? this.#config.interval_ms,
          waiting: 0,
          granted: { connect: 0, resolve: 0 },
          delayed: 0,
          waitedMs: 0,
        },
        queue: new PQueue({ concurrency: 1 }),
        recent: [],
      };
      this.#groups.set(name, group);
    }
    return group;
  }
}
