/**
 * The daemon's periodic health line: one info line every `log.status_interval_ms` (60 s by
 * default) saying what happened since the previous one, so that `pm2 logs` or the journal show
 * a healthy stream as healthy without a scrape. Events in and sent per kind and drops per
 * reason are counted over the interval; queue depth, report latency, source states and the age
 * of the last accepted report are as of now.
 */
import type { Clock, TimerHandle } from '../core/clock.js';
import { EVENT_KINDS } from '../core/events.js';
import type { Logger } from '../core/logger.js';
import type { KindCounts } from '../core/stats.js';
import type { StatusSnapshot } from './snapshot.js';

/** Only the kinds that moved, so a quiet stream's line stays short. */
function delta(now: KindCounts, before: KindCounts | undefined): Partial<KindCounts> {
  const out: Partial<KindCounts> = {};
  for (const k of EVENT_KINDS) {
    const d = now[k] - (before?.[k] ?? 0);
    if (d !== 0) out[k] = d;
  }
  return out;
}

/** The fields of the line for the interval from `before` (null: since start) to `now`. */
export function healthFields(now: StatusSnapshot, before: StatusSnapshot | null): Record<string, unknown> {
  const droppedBefore = new Map(before?.dropped.reasons.map((r) => [r.reason, r.count]) ?? []);
  const dropped: Record<string, number> = {};
  for (const r of now.dropped.reasons) {
    const d = r.count - (droppedBefore.get(r.reason) ?? 0);
    if (d > 0) dropped[r.reason] = d;
  }
  const lost = now.dropped.loss - (before?.dropped.loss ?? 0);
  return {
    intervalSeconds: Math.round((now.at - (before?.at ?? now.at - now.uptimeSeconds * 1000)) / 1000),
    received: delta(now.received, before?.received),
    sent: delta(now.sent, before?.sent),
    dropped,
    lost,
    queued: now.queued,
    inFlight: now.inFlight,
    spooled: now.spooled,
    reportLatencyMs: now.reportLatency === null ? null : { p50: now.reportLatency.p50Ms, p99: now.reportLatency.p99Ms },
    sources: Object.fromEntries(now.sources.map((s) => [s.name, s.reason === null ? s.state : `${s.state}: ${s.reason}`])),
    sink: now.sink.state,
    circuit: now.circuit,
    lastSuccessAgeSeconds: now.lastSuccessAt === null ? null : Math.round((now.at - now.lastSuccessAt) / 100) / 10,
  };
}

/** Logs the health line every `intervalMs` until stopped; 0 logs nothing. */
export function startHealthLine(options: { intervalMs: number; clock: Clock; logger: Logger; snapshot: () => StatusSnapshot }): {
  stop(): void;
} {
  if (options.intervalMs <= 0) return { stop: () => undefined };
  let before: StatusSnapshot | null = null;
  let timer: TimerHandle | undefined;
  const tick = () => {
    const now = options.snapshot();
    // A loss is worth a warning even when nothing else is wrong.
    const fields = healthFields(now, before);
    if ((fields.lost as number) > 0) options.logger.warn('status', fields);
    else options.logger.info('status', fields);
    before = now;
    timer = options.clock.setTimeout(tick, options.intervalMs);
  };
  timer = options.clock.setTimeout(tick, options.intervalMs);
  return {
    stop: () => {
      if (timer !== undefined) options.clock.clearTimeout(timer);
      timer = undefined;
    },
  };
}
