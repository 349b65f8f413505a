/**
 * What the reporter does with each answer of the sink (docs/delivery.md, "Answers and retries").
 */
import type { SendResult } from '../core/sink.js';
import { bisect, type Batch } from './batch.js';
import { dropEntry, RESEND_WHEN_UNCERTAIN, type ReporterCore } from './core.js';

/** A failed attempt: backoff and circuit; returns the delay before the next attempt. */
function fail(c: ReporterCore, now: number, retryAfterMs?: number): number {
  if (c.circuit.failure(now))
    c.logger.warn('circuit open: sink failing', { failures: c.o.circuit_failures, cooldownMs: c.o.circuit_cooldown_ms });
  return c.backoff.failed(now, retryAfterMs);
}

/** The sink answered: close the circuit. */
function answered(c: ReporterCore): void {
  if (c.circuit.success()) c.logger.info('sink recovered; circuit closed', { backlog: c.spool.events });
}

/** Settles one batch with its answer. */
export async function settle(c: ReporterCore, batch: Batch, result: SendResult): Promise<void> {
  const now = c.clock.now();
  const log = c.logger;
  switch (result.kind) {
    case 'sent': {
      for (const entry of batch.entries) {
        c.stats.countSent(entry.event.kind);
        // Accepted now: the end of the event's way from the platform (its timestamp) to MetaStudio.
        c.stats.latency.observe(entry.event.kind, now - entry.event.ts);
        c.spool.done(entry.offset);
      }
      c.lastSuccessAt = now;
      c.spooling = false;
      c.backoff.reset();
      answered(c);
      return;
    }
    case 'retry': {
      c.pending.unshift(batch);
      const retryInMs = fail(c, now, result.retryAfterMs);
      log.warn('report failed; will retry', {
        code: result.code,
        reason: result.reason,
        events: batch.entries.length,
        failures: c.backoff.failures,
        retryInMs,
        requestId: result.requestId,
      });
      return;
    }
    case 'uncertain': {
      // The sink may have processed it: resend only what is worse missed than doubled.
      const resend = batch.entries.filter((e) => RESEND_WHEN_UNCERTAIN.has(e.event.kind));
      for (const entry of batch.entries) {
        c.stats.countUncertain(entry.event.kind);
        if (!RESEND_WHEN_UNCERTAIN.has(entry.event.kind)) dropEntry(c, entry, 'uncertain', true);
      }
      if (resend.length > 0) c.pending.unshift({ entries: resend, attempts: batch.attempts, reauthed: false });
      const retryInMs = fail(c, now);
      log.warn('no answer to a report; resending its gifts, subscriptions and follows only', {
        code: result.code,
        reason: result.reason,
        events: batch.entries.length,
        resent: resend.length,
        retryInMs,
      });
      return;
    }
    case 'reauth':
      if (batch.reauthed) {
        // Refused credentials are an outage of a kind (a rotated key, a revoked token): keep the
        // events, which age out or spool as in any outage, and back off like any failure, so a
        // fixed key delivers what is still fresh and a wrong one never causes a retry storm.
        batch.reauthed = false;
        c.pending.unshift(batch);
        const retryInMs = fail(c, now);
        log.error('the sink refused the credentials again after re-authenticating; keeping the events and backing off', {
          code: result.code,
          reason: result.reason,
          events: batch.entries.length,
          retryInMs,
        });
        return;
      }
      batch.reauthed = true;
      c.pending.unshift(batch);
      try {
        await c.sink.reauthenticate();
      } catch (err) {
        fail(c, now);
        log.error('re-authentication failed', { error: err instanceof Error ? err.message : String(err) });
      }
      return;
    case 'rejected': {
      // The sink answered, so it is reachable; one bad event must not block the rest.
      c.backoff.answered();
      answered(c);
      if (batch.entries.length === 1) {
        const entry = batch.entries[0]!;
        dropEntry(c, entry, 'rejected', false);
        log.warn('the sink rejected an event; dropped', {
          kind: entry.event.kind,
          id: entry.event.id,
          code: result.code,
          reason: result.reason,
        });
        return;
      }
      c.pending.unshift(...bisect(batch));
      return;
    }
    case 'paused':
      c.pending.unshift(batch);
      if (c.backoff.paused(now)) log.info('sink paused; events stay queued and age as usual', { reason: result.reason });
      return;
  }
}
