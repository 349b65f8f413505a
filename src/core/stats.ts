/**
 * Event accounting shared by the pipeline and the reporter, read by /metrics and the demo's
 * status line. Every event that enters is accounted for: sent, dropped (with a reason),
 * coalesced into another, queued or spooled.
 */
import { EventLatency } from './event-latency.js';
import { EVENT_KINDS, type EventKind } from './events.js';

/** One counter per event kind. */
export type KindCounts = Record<EventKind, number>;

/** A fresh all-zero per-kind counter. */
export function zeroCounts(): KindCounts {
  return Object.fromEntries(EVENT_KINDS.map((k) => [k, 0])) as KindCounts;
}

/**
 * Every drop reason and whether it is policy (true) or loss (false), as docs/delivery.md lists
 * them. /metrics exports each one at 0 from the start, so the first loss is an increase an alert
 * sees (a series that appears with its first count is invisible to `increase()`).
 */
export const DROP_REASONS = {
  duplicate: true,
  empty_comment: true,
  invalid_timestamp: true,
  filtered_type: true,
  filtered_level: true,
  filtered_word: true,
  filtered_pattern: true,
  spam: true,
  join_cap: true,
  stale: true,
  uncertain: true,
  shutdown: true,
  invalid_gift: false,
  queue_full: false,
  too_large: false,
  rejected: false,
  spool_full: false,
  spool_failed: false,
  pipeline_closed: false,
  reporter_stopped: false,
} as const satisfies Record<string, boolean>;

/** A stable snake_case drop reason (the keys of DROP_REASONS). */
export type DropReasonCode = keyof typeof DROP_REASONS;

/**
 * Why an event was not sent. Intentional drops are policy (filters, caps, staleness);
 * unintentional ones are losses an operator should look at.
 */
export interface DropReason {
  /** e.g. `duplicate`, `stale`, `filtered_level`, `queue_full`, `rejected`. */
  reason: DropReasonCode;
  intentional: boolean;
}

/** A mutable counter store; one per bridge process. */
export class EventStats {
  readonly received = zeroCounts();
  readonly sent = zeroCounts();
  readonly coalesced = zeroCounts();
  /** reason → intentional flag and per-kind counts. */
  readonly dropped = new Map<string, { intentional: boolean; counts: KindCounts }>();
  /** Source-side discards (undecodable input), by source and reason. */
  readonly discarded = new Map<string, number>();
  /**
   * Events of requests that got no answer (timeout, abort): MetaStudio may or may not have
   * processed them. Counted once per such request, whether the event is then resent or not.
   */
  readonly uncertain = zeroCounts();
  /** Events passed on with a field corrected at the pipeline's entry (a future timestamp, an oversized value), by reason. */
  readonly clamped = new Map<string, KindCounts>();
  /** Metered upstream calls (API quota), by source and call: how many, and the units they cost. */
  readonly upstream = new Map<string, { calls: number; units: number }>();
  /** Per kind: from each sent event's platform timestamp to the sink's acceptance of it. */
  readonly latency = new EventLatency();

  countReceived(kind: EventKind, n = 1): void {
    this.received[kind] += n;
  }

  countSent(kind: EventKind, n = 1): void {
    this.sent[kind] += n;
  }

  countCoalesced(kind: EventKind, n = 1): void {
    this.coalesced[kind] += n;
  }

  countDropped(kind: EventKind, why: DropReason, n = 1): void {
    let entry = this.dropped.get(why.reason);
    if (!entry) {
      entry = { intentional: why.intentional, counts: zeroCounts() };
      this.dropped.set(why.reason, entry);
    }
    entry.counts[kind] += n;
  }

  countUncertain(kind: EventKind, n = 1): void {
    this.uncertain[kind] += n;
  }

  countClamped(kind: EventKind, reason: string, n = 1): void {
    let counts = this.clamped.get(reason);
    if (!counts) {
      counts = zeroCounts();
      this.clamped.set(reason, counts);
    }
    counts[kind] += n;
  }

  countDiscarded(source: string, reason: string, n = 1): void {
    const key = `${source}\u0000${reason}`;
    this.discarded.set(key, (this.discarded.get(key) ?? 0) + n);
  }

  countUpstream(source: string, call: string, units: number): void {
    const key = `${source}\u0000${call}`;
    const entry = this.upstream.get(key) ?? { calls: 0, units: 0 };
    entry.calls += 1;
    entry.units += units;
    this.upstream.set(key, entry);
  }

  /** Total dropped for one kind across every reason. */
  droppedTotal(kind: EventKind): number {
    let sum = 0;
    for (const entry of this.dropped.values()) sum += entry.counts[kind];
    return sum;
  }
}
