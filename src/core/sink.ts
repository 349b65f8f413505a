/**
 * The Sink contract: the Reporter owns retry policy; the Sink owns the wire and auth.
 */
import type { WireEvent } from './wire.js';

/**
 * The outcome of one send. The Reporter decides what to do with each kind:
 * - `sent`: accepted by MetaStudio.
 * - `retry`: a transient failure (network, timeout, 5xx, 429, APIGW.0308); try later, no sooner
 *   than `retryAfterMs` when the server said so.
 * - `reauth`: credentials were refused (401, APIGW.0301/0303); call `reauthenticate()` once and
 *   resend; a second refusal is fatal for the batch.
 * - `rejected`: the request was refused as invalid (400); bisect the batch to isolate the bad event.
 * - `paused`: there is no job to report into right now (job ended, none PROCESSING); keep events,
 *   let them age as usual, try again later.
 */
export type SendResult =
  | { kind: 'sent'; requestId?: string }
  | { kind: 'retry'; reason: string; code: string; retryAfterMs?: number; requestId?: string }
  | { kind: 'reauth'; reason: string; code: string; requestId?: string }
  | { kind: 'rejected'; reason: string; code: string; requestId?: string }
  | { kind: 'paused'; reason: string };

/** The sink's own view of its health, for /readyz. */
export type SinkStatus =
  { state: 'ready' } | { state: 'paused'; reason: string } | { state: 'stopped'; reason: string } | { state: 'failing'; reason: string };

/** Where the reporter sends batches; MetaStudio and the dry run implement it. */
export interface Sink {
  /** Human-readable name for logs (`metastudio`, `dry-run`). */
  readonly name: string;
  /** Sends one batch of 1..1000 wire events in one request. Never throws for a remote failure. */
  send(events: readonly WireEvent[], signal?: AbortSignal): Promise<SendResult>;
  /** Drops cached credentials and obtains fresh ones (after a `reauth` result). */
  reauthenticate(): Promise<void>;
  /** Starts background work (job following, URL refresh); resolves when first ready or paused. */
  start(signal: AbortSignal): Promise<void>;
  status(): SinkStatus;
  /** Releases connections. */
  close(): Promise<void>;
}
