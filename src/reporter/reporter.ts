/**
 * The throttled reporter: a bounded priority queue drained into the sink one batch at a time
 * (concurrency 1, so batches stay in order), as soon as the rate limit allows; retries with
 * full-jitter backoff, re-authentication, bisection of rejected batches, a circuit breaker and a
 * spool for shutdown and long outages. docs/delivery.md describes the policy as built.
 */
import type { TimerHandle } from '../core/clock.js';
import type { BridgeEvent } from '../core/events.js';
import type { SendResult } from '../core/sink.js';
import type { ReporterStatus } from '../core/status.js';
import { Backoff } from './backoff.js';
import { bisect, fillBatch, itemOf, type Batch } from './batch.js';
import { Circuit } from './circuit.js';
import { EventQueue } from './queue.js';
import { SlidingWindowLimiter, type RateLimiter } from './rate.js';
import { SpoolKeeper } from './spool-keeper.js';
import type { Reporter, ReporterDeps, ReporterOptions } from './types.js';

const DEFAULTS = {
  /** How long stop() waits, past its deadline, for the answer to the request in flight before aborting it. */
  inFlightGraceMs: 5_000,
} as const;

/** The kinds that survive restarts and long outages in the spool. */
const SPOOLED = new Set<BridgeEvent['kind']>(['gift', 'subscribe', 'follow', 'comment']);

type Phase = 'idle' | 'running' | 'stopping' | 'stopped';

/** The Reporter described in the module comment; built by createReporter(). */
export class ThrottledReporter implements Reporter {
  readonly #o: ReporterOptions;
  readonly #d: Required<Omit<ReporterDeps, 'limiter'>>;
  readonly #limiter: RateLimiter;
  readonly #queue: EventQueue;
  readonly #circuit: Circuit;
  readonly #keeper: SpoolKeeper;
  readonly #abort = new AbortController();
  #phase: Phase = 'idle';
  /** Frozen batches to send before anything new: a retry, or the halves of a bisection. */
  #pending: Batch[] = [];
  #inFlight: { batch: Batch; done: Promise<void> } | null = null;
  readonly #backoff: Backoff;
  #retries = 0;
  #lastSuccessAt: number | null = null;
  #pumpQueued = false;
  #wake: { at: number; handle: TimerHandle } | null = null;
  #outageSpooling = false;
  #stopping: Promise<void> | null = null;
  #finish: (() => void) | null = null;
  #deadline: TimerHandle | null = null;

  constructor(options: ReporterOptions, deps: ReporterDeps) {
    this.#o = options;
    this.#d = { random: Math.random, ...deps };
    this.#limiter = deps.limiter ?? new SlidingWindowLimiter(options.max_requests_per_second);
    this.#backoff = new Backoff(
      { baseMs: options.retry_base_ms, maxMs: options.retry_max_ms, minPauseMs: options.flush_interval_ms },
      this.#d.random,
    );
    this.#queue = new EventQueue(options.max_queue_events);
    this.#circuit = new Circuit(options.circuit_failures, options.circuit_cooldown_ms);
    this.#keeper = new SpoolKeeper(options.state_dir, {
      stats: deps.stats,
      logger: deps.logger,
      isStale: (event, now) => this.#isStale(event, now),
      drop: (event, reason, intentional) => this.#drop(event, reason, intentional),
    });
  }

  async start(): Promise<void> {
    if (this.#phase !== 'idle') return;
    this.#phase = 'running';
    await this.#replaySpool(true);
    this.#kick();
  }

  enqueue(event: BridgeEvent): void {
    if (this.#phase === 'stopped') {
      this.#drop(event, 'reporter_stopped', false);
      return;
    }
    const now = this.#d.clock.now();
    if (this.#keeper.wasReplayed(event, now)) {
      this.#drop(event, 'duplicate', true);
      return;
    }
    if (this.#isStale(event, now)) {
      this.#drop(event, 'stale', true);
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
    this.#deadline = this.#d.clock.setTimeout(() => void this.#shutdown(), this.#o.shutdown_flush_ms);
    this.#kick();
    return this.#stopping;
  }

  status(): ReporterStatus {
    const oldest = this.#queue.oldestTs();
    const inFlight = (this.#inFlight?.batch.entries.length ?? 0) + this.#pending.reduce((n, b) => n + b.entries.length, 0);
    return {
      queuedByKind: this.#queue.sizeByKind(),
      inFlight,
      oldestQueuedAgeMs: oldest === null ? null : Math.max(0, this.#d.clock.now() - oldest),
      spooledEvents: this.#keeper.events,
      spoolBytes: this.#keeper.bytes,
      circuit: this.#circuit.state,
      circuitOpenSince: this.#circuit.openSince,
      retries: this.#retries,
      lastSuccessAt: this.#lastSuccessAt,
    };
  }

  // ---- queueing -------------------------------------------------------------------------------

  #offer(event: BridgeEvent, now: number): void {
    if (this.#queue.size >= this.#queue.capacity) this.#expire(now);
    const offer = this.#queue.offer(event);
    if (offer.kind === 'refused') this.#drop(event, 'queue_full', false);
    else if (offer.evicted) this.#drop(offer.evicted.event, 'queue_full', false);
    else if (offer.replaced) this.#d.stats.countCoalesced(offer.replaced.event.kind);
  }

  #isStale(event: BridgeEvent, now: number): boolean {
    const maxAge = this.#o.max_age_ms[event.kind];
    return maxAge > 0 && now - event.ts > maxAge;
  }

  #drop(event: BridgeEvent, reason: string, intentional: boolean): void {
    this.#d.stats.countDropped(event.kind, { reason, intentional });
  }

  #expire(now: number): void {
    for (const entry of this.#queue.expireHeads((e) => this.#isStale(e.event, now))) this.#drop(entry.event, 'stale', true);
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
    if (this.#inFlight || (this.#phase !== 'running' && this.#phase !== 'stopping')) return;
    const now = this.#d.clock.now();
    this.#expire(now);
    this.#spoolDuringOutage(now);
    for (;;) {
      if (this.#pending.length === 0 && this.#queue.size === 0) {
        this.#sleepUntil(null);
        if (this.#phase === 'stopping') void this.#shutdown();
        return;
      }
      const at = Math.max(this.#backoff.notBefore, this.#circuit.blockedUntil(), this.#limiter.nextAt(now));
      if (at > now) {
        // Wake at least once a flush interval to expire stale events and spool during outages.
        this.#sleepUntil(Math.min(at, now + this.#o.flush_interval_ms));
        return;
      }
      const batch = this.#nextBatch(now);
      if (batch) {
        this.#sleepUntil(null);
        this.#send(batch, now);
        return;
      }
    }
  }

  #sleepUntil(at: number | null): void {
    if (this.#wake && this.#wake.at === at) return;
    if (this.#wake) this.#d.clock.clearTimeout(this.#wake.handle);
    this.#wake = null;
    if (at === null) return;
    const handle = this.#d.clock.setTimeout(() => {
      this.#wake = null;
      this.#pump();
    }, at - this.#d.clock.now());
    this.#wake = { at, handle };
  }

  /** The next batch: a pending one (stale events removed), else a new one filled by priority. Null when nothing fresh was left. */
  #nextBatch(now: number): Batch | null {
    const pending = this.#pending.shift();
    if (pending) {
      pending.entries = pending.entries.filter((e) => {
        const stale = this.#isStale(e.event, now);
        if (stale) this.#drop(e.event, 'stale', true);
        return !stale;
      });
      return pending.entries.length > 0 ? pending : null;
    }
    return fillBatch(
      this.#queue,
      { maxEvents: this.#o.max_batch_events, maxBytes: this.#o.max_batch_bytes, encoder: this.#d.sink.encoder },
      {
        isStale: (event) => this.#isStale(event, now),
        drop: (event, reason) => {
          this.#drop(event, reason, reason === 'stale');
          if (reason === 'too_large') this.#d.logger.warn('event larger than max_batch_bytes; dropped', { kind: event.kind, id: event.id });
        },
      },
    );
  }

  #send(batch: Batch, now: number): void {
    this.#circuit.beforeSend(now);
    this.#limiter.record(now);
    if (batch.attempts > 0) this.#retries += 1;
    batch.attempts += 1;
    const items = batch.entries.map((e) => itemOf(e, this.#d.sink.encoder).item);
    const done = this.#d.sink
      .send(items, this.#abort.signal)
      .catch((err: unknown): SendResult => ({
        kind: 'retry',
        reason: err instanceof Error ? err.message : String(err),
        code: 'sink_threw',
      }))
      .then((result) => this.#settle(batch, result))
      .catch((err: unknown) => {
        this.#d.logger.error('reporter failed to settle a batch', { error: err });
      })
      .finally(() => {
        this.#inFlight = null;
        this.#kick();
      });
    this.#inFlight = { batch, done };
  }

  async #settle(batch: Batch, result: SendResult): Promise<void> {
    const now = this.#d.clock.now();
    const log = this.#d.logger;
    switch (result.kind) {
      case 'sent': {
        for (const entry of batch.entries) this.#d.stats.countSent(entry.event.kind);
        this.#lastSuccessAt = now;
        this.#backoff.reset();
        await this.#succeeded();
        return;
      }
      case 'retry': {
        this.#pending.unshift(batch);
        const retryInMs = this.#fail(now, result.retryAfterMs);
        log.warn('report failed; will retry', {
          code: result.code,
          reason: result.reason,
          events: batch.entries.length,
          failures: this.#backoff.failures,
          retryInMs,
          requestId: result.requestId,
        });
        return;
      }
      case 'reauth':
        if (batch.reauthed) {
          // Refused credentials are an outage of a kind (a rotated key, a revoked token): keep the
          // events, which age out or spool as in any outage, and back off like any failure, so a
          // fixed key delivers what is still fresh and a wrong one never causes a retry storm.
          batch.reauthed = false;
          this.#pending.unshift(batch);
          const retryInMs = this.#fail(now);
          log.error('the sink refused the credentials again after re-authenticating; keeping the events and backing off', {
            code: result.code,
            reason: result.reason,
            events: batch.entries.length,
            retryInMs,
          });
          return;
        }
        batch.reauthed = true;
        this.#pending.unshift(batch);
        try {
          await this.#d.sink.reauthenticate();
        } catch (err) {
          this.#fail(now);
          log.error('re-authentication failed', { error: err instanceof Error ? err.message : String(err) });
        }
        return;
      case 'rejected': {
        // The API answered, so the sink is reachable; one bad event must not block the rest.
        this.#backoff.answered();
        await this.#succeeded();
        if (batch.entries.length === 1) {
          const { event } = batch.entries[0]!;
          this.#drop(event, 'rejected', false);
          log.warn('the sink rejected an event; dropped', { kind: event.kind, id: event.id, code: result.code, reason: result.reason });
          return;
        }
        this.#pending.unshift(...bisect(batch));
        return;
      }
      case 'paused':
        this.#pending.unshift(batch);
        if (this.#backoff.paused(now)) log.info('sink paused; events stay queued and age as usual', { reason: result.reason });
        return;
    }
  }

  /** The sink answered: close the circuit, and after an outage bring spooled events back into the queue. */
  async #succeeded(): Promise<void> {
    if (!this.#circuit.success()) return;
    this.#d.logger.info('sink recovered; circuit closed');
    this.#outageSpooling = false;
    if (this.#keeper.events > 0 && this.#phase === 'running') await this.#replaySpool(false);
  }

  /** A failed attempt: backoff and circuit; returns the delay before the next attempt. */
  #fail(now: number, retryAfterMs?: number): number {
    if (this.#circuit.failure(now))
      this.#d.logger.warn('circuit open: sink failing', { failures: this.#o.circuit_failures, cooldownMs: this.#o.circuit_cooldown_ms });
    return this.#backoff.failed(now, retryAfterMs);
  }

  // ---- spool ----------------------------------------------------------------------------------

  /** While the circuit has been open longer than spool_after_ms, queued fresh gifts, follows and comments move to the spool. */
  #spoolDuringOutage(now: number): void {
    const since = this.#circuit.openSince;
    if (this.#phase !== 'running' || since === null || now - since < this.#o.spool_after_ms) return;
    if (!this.#outageSpooling) {
      this.#outageSpooling = true;
      this.#d.logger.warn('sink down for longer than spool_after_ms; spooling gifts, follows and comments', { openForMs: now - since });
    }
    const keep: BridgeEvent[] = [];
    for (const { event } of this.#queue.removeAll((e) => SPOOLED.has(e.event.kind))) {
      if (this.#isStale(event, now)) this.#drop(event, 'stale', true);
      else keep.push(event);
    }
    if (keep.length > 0) void this.#keeper.write(keep);
  }

  async #replaySpool(countReceived: boolean): Promise<void> {
    const fresh = await this.#keeper.replay(countReceived, this.#d.clock.now());
    // Spooled events are older than anything queued of their kind: they go first, keeping per-kind order.
    for (const evicted of this.#queue.prepend(fresh)) this.#drop(evicted.event, 'queue_full', false);
  }

  /** The end of stop(): waits for the request in flight, then spools what is fresh and worth keeping. */
  async #shutdown(): Promise<void> {
    if (this.#phase === 'stopped') return;
    this.#phase = 'stopped';
    const clock = this.#d.clock;
    if (this.#deadline) clock.clearTimeout(this.#deadline);
    this.#sleepUntil(null);
    if (this.#inFlight) {
      // Its answer decides whether it was delivered; abort only when the sink does not answer in time.
      const grace = clock.setTimeout(() => this.#abort.abort(new Error('reporter stopping')), DEFAULTS.inFlightGraceMs);
      await this.#inFlight.done;
      clock.clearTimeout(grace);
    }
    const now = clock.now();
    const rest = [...this.#pending.flatMap((b) => b.entries), ...this.#queue.removeAll(() => true)];
    this.#pending = [];
    const keep: BridgeEvent[] = [];
    for (const { event } of rest) {
      if (this.#isStale(event, now)) this.#drop(event, 'stale', true);
      else if (SPOOLED.has(event.kind)) keep.push(event);
      else this.#drop(event, 'shutdown', true);
    }
    await this.#keeper.write(keep);
    this.#d.logger.info('reporter stopped', { spooled: keep.length, dropped: rest.length - keep.length, spoolFile: this.#keeper.file });
    this.#finish?.();
  }
}
