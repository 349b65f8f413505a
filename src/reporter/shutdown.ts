/**
 * The reporter's stop path: after the flush deadline, wait for the answer to the request in
 * flight (its answer decides whether it was delivered), then move every fresh event worth keeping
 * into the spool and drop the rest, and wait until the spool's file work is durable.
 */
import type { Entry } from './queue.js';
import { dropEntry, isStale, pendingEntries, type ReporterCore } from './core.js';
import { DURABLE } from './spool.js';

const DEFAULTS = {
  /** How long stop() waits, past its deadline, for the answer to the request in flight before aborting it. */
  inFlightGraceMs: 5_000,
} as const;

/** The end of stop(), as the module comment says; `abort` cancels the request in flight. */
export async function shutdown(c: ReporterCore, abort: AbortController): Promise<void> {
  const { clock } = c;
  if (c.inFlight) {
    const grace = clock.setTimeout(() => abort.abort(new Error('reporter stopping')), DEFAULTS.inFlightGraceMs);
    await c.inFlight.done;
    clock.clearTimeout(grace);
  }
  const now = clock.now();
  const rest: Entry[] = [...pendingEntries(c), ...c.queue.removeAll(() => true)];
  c.pending = [];
  const keep: Entry[] = [];
  for (const entry of rest) {
    if (isStale(c, entry.event.kind, entry.event.ts, now)) dropEntry(c, entry, 'stale', true);
    else if (DURABLE.has(entry.event.kind)) keep.push(entry);
    else dropEntry(c, entry, 'shutdown', true);
  }
  c.spool.spill(keep);
  await c.spool.drain();
  c.logger.info('reporter stopped', {
    spooled: c.spool.events,
    dropped: rest.length - keep.length,
    spoolFile: c.spool.file,
  });
}
