/**
 * Follows one Source's lifecycle for the ops surface and the log: state changes (logged once
 * each, at info), reconnects, discards (counted, never silent), metered upstream calls and the
 * last event time.
 */
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { Source, SourceState } from '../core/source.js';
import type { EventStats } from '../core/stats.js';
import type { SourceStatus } from '../core/status.js';

/** Tracks a source and returns a live view of its status. */
export function trackSource(source: Source, room: string, deps: { clock: Clock; logger: Logger; stats: EventStats }): () => SourceStatus {
  let state: SourceState = { state: 'connecting', reason: 'not started' };
  let since = deps.clock.now();
  let reconnects = -1; // the first "reconnect" is the initial connect
  let lastEventAt: number | null = null;
  source.on('state', (next) => {
    const changed = next.state !== state.state;
    state = next;
    if (!changed) return;
    since = deps.clock.now();
    const { state: name, ...detail } = next;
    const level = name === 'error' || name === 'blocked' ? 'warn' : 'info';
    deps.logger.log(level, `source ${name}`, detail);
  });
  source.on('reconnect', ({ reason }) => {
    reconnects += 1;
    if (reconnects > 0) deps.logger.info('source reconnecting', { reason });
  });
  source.on('discard', ({ reason, count }) => deps.stats.countDiscarded(source.name, reason, count ?? 1));
  source.on('usage', ({ call, units }) => deps.stats.countUpstream(source.name, call, units));
  source.on('event', () => {
    lastEventAt = deps.clock.now();
  });
  return () => ({ name: source.name, platform: source.platform, room, state, since, reconnects: Math.max(0, reconnects), lastEventAt });
}
