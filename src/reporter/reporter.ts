/**
 * The throttled reporter: a bounded priority queue in memory with the spool as its overflow and
 * write-ahead log, drained into the sink one batch at a time (concurrency 1, so batches stay in
 * order) as soon as the rate limit allows; retries with full-jitter backoff, re-authentication,
 * bisection of rejected batches and a circuit breaker (outcome.ts), and an orderly stop
 * (shutdown.ts). docs/delivery.md describes the policy as built.
 */
import type { TimerHandle } from '../core/clock.js';
import type { BridgeEvent } from '../core/events.js';
import type { SendResult } from '../core/sink.js';
import type { ReporterStatus } from '../core/status.js';
import { Backoff } from './backoff.js';
import { itemOf, newBatch, planBatch, type Batch, type BatchPlan } from './batch.js';
import { Circuit } from './circuit.js';
import { dropEntry, isStale, pendingEntries, type ReporterCore } from './core.js';
import { expire, persistWaiting } from './waiting.js';
import { settle } from './outcome.js';
import { EventQueue, SEND_ORDER, type Entry } from './queue.js';
import { SlidingWindowLimiter, type RateLimiter } from './rate.js';
import { shutdown } from './shutdown.js';
import { OVERFLOW, Spool } from './spool.js';
import type { Reporter, ReporterDeps, ReporterOptions } from './types.js';

type Phase = 'idle' | 'running' | 'stopping' | 'stopped';

/** The Reporter described in the module comment; built by createReporter(). */
export class ThrottledReporter implements Reporter {
  readonly #c: ReporterCore;
  readonly #limiter: RateLimiter;
  readonly #abort = new AbortController();
  #phase: Phase = 'idle';
  #retries = 0;
  #pumpQueued = false;
  #wake: { at: number; handle: TimerHandle } | null = null;
  #stopping: Promise<void> | null = null;
  #deadline: TimerHandle | null = null;
  #finish: (() => void) | null = null;

  constructor(options: ReporterOptions, deps: ReporterDeps) {
    const random = deps.random ?? Math.random;
    this.#limiter = deps.limiter ?? new SlidingWindowLimiter(options.max_requests_per_second, options.rate_margin_ms);
    this.#c = {
      o: options,
      sink: deps.sink,
      clock: deps.clock,
      logger: deps.logger,
      stats: deps.stats,
      queue: new EventQueue(options.max_queue_events),
      spool: new Spool(options.state_dir, {
        stats: deps.stats,
        logger: deps.logger,
        encoder: deps.sink.encoder,
        maxBytes: options.max_spool_bytes,
        onBacklog: () => this.#kick(),
      }),
      circuit: new Circuit(options.circuit_failures, options.circuit_cooldown_ms),
      backoff: new Backoff({ baseMs: options.retry_base_ms, maxMs: options.retry_max_ms, minPauseMs: options.flush_interval_ms }, random),
      pending: [],
      inFlight: null,
      lastSuccessAt: null,
      spooling: false,
      nextPersistCheck: 0,
    };
  }

  async start(): Promise<void> {
    if (this.#phase !== 'idle') return;
    this.#phase = 'running';
    const c = this.#c;
    const maxSeq = await c.spool.load(c.clock.now(), (kind, ts) => isStale(c, kind, ts, c.clock.now()));
    c.queue.startSeqAfter(maxSeq);
    this.#kick();
  }

  enqueue(event: BridgeEvent): void {
    const c = this.#c;
    if (this.#phase === 'stopped') {
      c.stats.countDropped(event.kind, { reason: 'reporter_stopped', intentional: false });
      return;
    }
    const now = c.clock.now();
    if (c.spool.isKnown(event, now)) {
      c.stats.countDropped(event.kind, { reason: 'duplicate', intentional: true });
      return;
    }
    if (isStale(c, event.kind, event.ts, now)) {
      c.stats.countDropped(event.kind, { reason: 'stale', intentional: true });
      return;
    }
    this.#offer(event, now);
    this.#kick();
  }

  stop(): Promise<void> {
    if (this.#stopping) return this.#stopping;
    this.#phase = 'stopping';
    this.#stopping = new Promise<void>((resolve) => {
      this.#finish = resolve;
    });
    this.#deadline = this.#c.clock.setTimeout(() => void this.#shutdown(), this.#c.o.shutdown_flush_ms);
    this.#kick();
    return this.#stopping;
  }

  status(): ReporterStatus {
    const c = this.#c;
    const oldest = c.queue.oldestTs();
    return {
      queuedByKind: c.queue.sizeByKind(),
      inFlight: (c.inFlight?.size ?? 0) + pendingEntries(c).length,
      oldestQueuedAgeMs: oldest === null ? null : Math.max(0, c.clock.now() - oldest),
      spooledEvents: c.spool.events,
      spoolBytes: c.spool.bytes,
      circuit: c.circuit.state,
      circuitOpenSince: c.circuit.openSince,
      retries: this.#retries,
      lastSuccessAt: c.lastSuccessAt,
    };
  }

  // ---- queueing -------------------------------------------------------------------------------

  /** Queues an event; when memory is full, what gives way goes to the spool if it stays fresh for long, else is dropped. */
  #offer(event: BridgeEvent, now: number): void {
    const c = this.#c;
    if (c.queue.size >= c.queue.capacity) expire(this.#c, now);
    const offer = c.queue.offer(event, now);
    const place = (entry: Entry) => {
      if (OVERFLOW.has(entry.event.kind)) c.spool.spill([entry]);
      else dropEntry(c, entry, 'queue_full', false);
    };
    if (offer.kind === 'refused') place(offer.entry);
    else if (offer.evicted) place(offer.evicted);
    else if (offer.replaced) c.stats.countCoalesced(offer.replaced.event.kind);
  }

  // ---- the send loop --------------------------------------------------------------------------

  /** Runs the pump once the current synchronous burst of enqueues is over, so it batches. */
  #kick(): void {
    if (this.#pumpQueued) return;
    this.#pumpQueued = true;
    queueMicrotask(() => {
      this.#pumpQueued = false;
      this.#pump();
    });
  }

  #pump(): void {
    const c = this.#c;
    if (this.#phase !== 'running' && this.#phase !== 'stopping') return;
    const now = c.clock.now();
    expire(this.#c, now);
    persistWaiting(this.#c, now);
    if (c.inFlight) {
      // Wake anyway to keep expiring and spooling while an answer is awaited.
      this.#sleepUntil(now + c.o.flush_interval_ms);
      return;
    }
    for (;;) {
      const backlog = this.#phase === 'running' && SEND_ORDER.some((k) => c.spool.peek(k) !== undefined);
      if (c.pending.length === 0 && c.queue.size === 0 && !backlog) {
        this.#sleepUntil(c.spool.events > 0 ? now + c.o.flush_interval_ms : null);
        if (this.#phase === 'stopping') void this.#shutdown();
        return;
      }
      const at = Math.max(c.backoff.notBefore, c.circuit.blockedUntil(), this.#limiter.nextAt(now));
      if (at > now) {
        // Wake at least once a flush interval to expire stale events and spool what waited.
        this.#sleepUntil(Math.min(at, now + c.o.flush_interval_ms));
        return;
      }
      const next = this.#nextBatch(now);
      if (next) {
        this.#sleepUntil(now + c.o.flush_interval_ms);
        this.#send(next, now);
        return;
      }
    }
  }

  #sleepUntil(at: number | null): void {
    if (this.#wake && this.#wake.at === at) return;
    if (this.#wake) this.#c.clock.clearTimeout(this.#wake.handle);
    this.#wake = null;
    if (at === null) return;
    const handle = this.#c.clock.setTimeout(() => {
      this.#wake = null;
      this.#pump();
    }, at - this.#c.clock.now());
    this.#wake = { at, handle };
  }

  /** The next batch: a pending one (stale events removed), else a new plan by priority. Null when nothing fresh was left. */
  #nextBatch(now: number): Batch | BatchPlan | null {
    const c = this.#c;
    const pending = c.pending.shift();
    if (pending) {
      pending.entries = pending.entries.filter((e) => {
        const stale = isStale(c, e.event.kind, e.event.ts, now);
        if (stale) dropEntry(c, e, 'stale', true);
        return !stale;
      });
      return pending.entries.length > 0 ? pending : null;
    }
    return planBatch(
      c.queue,
      // While stopping, only memory is flushed: the backlog is on disk already.
      this.#phase === 'running' ? c.spool : { peek: () => undefined, shift: () => undefined },
      { maxEvents: c.o.max_batch_events, maxBytes: c.o.max_batch_bytes, encoder: c.sink.encoder },
      {
        isStale: (kind, ts) => isStale(c, kind, ts, now),
        drop: (what, reason) => {
          if ('entry' in what) dropEntry(c, what.entry, reason, reason === 'stale');
          else {
            c.stats.countDropped(what.ref.kind, { reason, intentional: reason === 'stale' });
            c.spool.done(what.ref.offset);
          }
          if (reason === 'too_large')
            c.logger.warn('event larger than max_batch_bytes; dropped', { kind: 'entry' in what ? what.entry.event.kind : what.ref.kind });
        },
      },
    );
  }

  #send(next: Batch | BatchPlan, now: number): void {
    const c = this.#c;
    c.circuit.beforeSend(now);
    const batch: Batch = 'attempts' in next ? next : newBatch(next.entries);
    const refs = 'refs' in next ? next.refs : [];
    if (batch.attempts > 0) this.#retries += 1;
    batch.attempts += 1;
    let departed = false;
    const depart = () => {
      if (departed) return;
      departed = true;
      this.#limiter.record(c.clock.now());
    };
    const run = async () => {
      if (refs.length > 0) {
        const read = await c.spool.read(refs).catch((err: unknown) => {
          c.logger.error('could not read the spool', { error: err instanceof Error ? err.message : String(err) });
          for (const ref of refs) {
            c.stats.countDropped(ref.kind, { reason: 'spool_failed', intentional: false });
            c.spool.done(ref.offset);
          }
          return [];
        });
        batch.entries = [...batch.entries, ...read].sort((a, b) => a.seq - b.seq);
        if (batch.entries.length === 0) return;
      }
      const items = batch.entries.map((e) => itemOf(e, c.sink.encoder).item);
      const result = await c.sink.send(items, { signal: this.#abort.signal, onDeparture: depart }).catch((err: unknown): SendResult => ({
        kind: 'retry',
        reason: err instanceof Error ? err.message : String(err),
        code: 'sink_threw',
      }));
      // A sink that does not say when its request left is counted when it answers (stricter).
      if (result.kind !== 'paused') depart();
      await settle(c, batch, result);
    };
    const done = run()
      .catch((err: unknown) => {
        c.logger.error('reporter failed to settle a batch', { error: err });
      })
      .finally(() => {
        c.inFlight = null;
        this.#kick();
      });
    c.inFlight = { batch, size: batch.entries.length + refs.length, done };
  }

  async #shutdown(): Promise<void> {
    if (this.#phase === 'stopped') return;
    this.#phase = 'stopped';
    if (this.#deadline) this.#c.clock.clearTimeout(this.#deadline);
    this.#sleepUntil(null);
    await shutdown(this.#c, this.#abort);
    this.#finish?.();
  }
}
