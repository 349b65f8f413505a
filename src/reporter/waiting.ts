/**
 * What happens to events while they wait (queued, in the spool's backlog, in a retry batch or in
 * flight): the stale ones are dropped, and the ones worth keeping that waited `spool_after_ms`
 * are written to the spool. The send loop runs both at every wake (at least once a flush interval).
 */
import { dropEntry, isStale, pendingEntries, type ReporterCore } from './core.js';
import { SEND_ORDER, type Entry } from './queue.js';
import { DURABLE } from './spool.js';

/** Drops the stale events at the heads of the queue's FIFOs and of the spool's backlog. */
export function expire(c: ReporterCore, now: number): void {
  for (const entry of c.queue.expireHeads((e) => isStale(c, e.event.kind, e.event.ts, now))) dropEntry(c, entry, 'stale', true);
  for (const kind of SEND_ORDER) {
    for (let ref = c.spool.peek(kind); ref && isStale(c, kind, ref.ts, now); ref = c.spool.peek(kind)) {
      c.spool.shift(kind);
      c.stats.countDropped(kind, { reason: 'stale', intentional: true });
      c.spool.done(ref.offset);
    }
  }
}

/** Writes to the spool every gift, subscription, follow and comment that has waited spool_after_ms, wherever it waits. */
export function persistWaiting(c: ReporterCore, now: number): void {
  // A scan a flush interval is enough: an event is written within one interval of its due time.
  if (now < c.nextPersistCheck) return;
  c.nextPersistCheck = now + c.o.flush_interval_ms;
  const since = now - c.o.spool_after_ms;
  const due: Entry[] = [];
  const visit = (e: Entry) => {
    if (e.enqueuedAt > since) return false;
    if (e.offset === undefined && DURABLE.has(e.event.kind)) due.push(e);
    return true;
  };
  for (const kind of DURABLE) c.queue.scan(kind, visit);
  for (const e of [...pendingEntries(c), ...(c.inFlight?.batch.entries ?? [])]) visit(e);
  if (due.length === 0) return;
  if (!c.spooling) {
    c.spooling = true;
    c.logger.warn('events waited longer than spool_after_ms; writing them to the spool', { events: due.length });
  }
  c.spool.persist(due);
}
