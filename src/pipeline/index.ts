/**
 * The pipeline between the sources and the reporter: entry check → dedupe → gift-streak folding →
 * filters → like windows and the join cap. Pure apart from the injected clock's timers; every event that
 * enters is counted as received, then as dropped (with a reason) or coalesced, or passed on.
 */
import type { Clock } from '../core/clock.js';
import type { BridgeEvent } from '../core/events.js';
import type { Logger } from '../core/logger.js';
import { zeroCounts, type DropReasonCode, type EventStats, type KindCounts } from '../core/stats.js';
import type { FiltersConfig, PipelineConfig } from '../config/sections/pipeline.js';
import { JoinCap, LikeWindows } from './caps.js';
import { Dedupe } from './dedupe.js';
import { checkEntry } from './entry.js';
import { Filters } from './filters.js';
import { StreakFolder } from './streaks.js';

export { truncateGraphemes } from './text.js';

/** The config sections the pipeline reads. */
export interface PipelineOptions {
  pipeline: PipelineConfig;
  filters: FiltersConfig;
}

/** The pipeline's injected clock, logger and counters, and where passing events go. */
export interface PipelineDeps {
  clock: Clock;
  logger: Logger;
  stats: EventStats;
  /** Receives each event that passes, in order (the reporter's enqueue). */
  emit: (event: BridgeEvent) => void;
}

/** The running pipeline: push events in, flush or close at shutdown. */
export interface Pipeline {
  /** Takes one event from a source. Never throws for event content. */
  push(event: BridgeEvent): void;
  /** Closes open gift streaks and like windows now, passing what they hold (shutdown). */
  flush(): void;
  /**
   * Events received and still held in open gift streaks and like windows, by type: the term
   * that makes the accounting identity hold at any moment, not only after a flush.
   */
  held(): KindCounts;
  /** Cancels timers; what is still held and later pushes are dropped (counted, reason `pipeline_closed`). */
  close(): void;
}

const INTENTIONAL = true;

/**
 * Builds the pipeline. Throws ConfigError when a `filters.blocked_patterns` entry does not
 * compile (the config loader reports that earlier, with file and line).
 */
export function createPipeline(options: PipelineOptions, deps: PipelineDeps): Pipeline {
  const { clock, stats, emit, logger } = deps;
  const config = options.pipeline;
  const dedupe = new Dedupe(config.dedupe_max_entries, config.dedupe_ttl_ms);
  const filters = new Filters(options.filters, clock);
  const joins = new JoinCap(config.max_joins_per_second, clock);
  let closed = false;

  const drop = (event: BridgeEvent, reason: DropReasonCode, intentional = INTENTIONAL) =>
    stats.countDropped(event.kind, { reason, intentional });

  const capped = (event: BridgeEvent) => {
    if (event.kind === 'like') likes.push(event);
    else if (event.kind === 'join' && !joins.take(event)) drop(event, 'join_cap');
    else emit(event);
  };
  const filtered = (event: BridgeEvent) => {
    const result = filters.check(event);
    if (typeof result === 'string') drop(event, result);
    else capped(result);
  };
  const likes = new LikeWindows(config.like_window_ms, clock, (event, folded) => {
    if (folded > 1) stats.countCoalesced('like', folded - 1);
    emit(event);
  });
  const streaks = new StreakFolder(
    { idleMs: config.gift_streak_idle_ms, closedTtlMs: config.dedupe_ttl_ms, closedMaxEntries: config.dedupe_max_entries },
    clock,
    (event, folded) => {
      if (folded > 1) stats.countCoalesced('gift', folded - 1);
      filtered(event);
    },
    // A late message of a streak already reported is part of what was reported.
    () => stats.countCoalesced('gift'),
  );

  return {
    push(raw) {
      stats.countReceived(raw.kind);
      if (closed) {
        drop(raw, 'pipeline_closed', false);
        return;
      }
      const now = clock.now();
      const verdict = checkEntry(raw, now);
      if (typeof verdict === 'string') {
        drop(raw, verdict);
        return;
      }
      let event: BridgeEvent;
      if ('corrected' in verdict) {
        event = verdict.corrected;
        stats.countClamped(event.kind, verdict.clamped);
      } else event = verdict;
      if (dedupe.isDuplicate(event, now)) {
        drop(event, 'duplicate');
        return;
      }
      if (event.kind === 'gift') streaks.push(event);
      else filtered(event);
    },
    held() {
      const counts = zeroCounts();
      if (closed) return counts;
      counts.gift = streaks.held;
      counts.like = likes.held;
      return counts;
    },
    flush() {
      streaks.flush();
      likes.flush();
      logger.debug('pipeline flushed');
    },
    close() {
      if (closed) return;
      closed = true;
      // Whatever flush() did not pass on is lost here: counted, never silent.
      const gifts = streaks.close();
      const likesHeld = likes.close();
      if (gifts > 0) stats.countDropped('gift', { reason: 'pipeline_closed', intentional: false }, gifts);
      if (likesHeld > 0) stats.countDropped('like', { reason: 'pipeline_closed', intentional: false }, likesHeld);
    },
  };
}
