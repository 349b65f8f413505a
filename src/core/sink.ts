/**
 * The Sink contract: the Reporter owns retry policy; the Sink owns the wire and auth. The
 * reporter never sees the wire's shape: it asks the sink's encoder for each event's item and
 * its size in the request body, and hands the items back to `send`.
 */
import type { BridgeEvent } from './events.js';

/** How a sink turns events into its wire items and sizes them for the reporter's batches. */
export interface SinkEncoder<W> {
  /** The wire item of one event (pure; the reporter computes it once per event). */
  encode(event: BridgeEvent): W;
  /** Bytes the item adds to a request body, separator included. */
  bytes(item: W): number;
  /** Bytes of a request body around its items. */
  readonly overheadBytes: number;
  /** The most items one request may carry. */
  readonly maxItems: number;
}

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
 * - `uncertain`: the request left but no answer came (timeout, abort): the sink may have
 *   processed it. The API has no idempotency key, so the reporter decides per kind whether a
 *   possible duplicate is better than a possible loss (docs/delivery.md).
 */
export type SendResult =
  | { kind: 'sent'; requestId?: string }
  | { kind: 'retry'; reason: string; code: string; retryAfterMs?: number; requestId?: string }
  | { kind: 'reauth'; reason: string; code: string; requestId?: string }
  | { kind: 'rejected'; reason: string; code: string; requestId?: string }
  | { kind: 'paused'; reason: string }
  | { kind: 'uncertain'; reason: string; code: string };

/** What the reporter passes with a batch. */
export interface SendOptions {
  /** Aborts the request (shutdown); an aborted request that had left is `uncertain`. */
  signal?: AbortSignal;
  /**
   * Called once, when the request leaves for the sink (after credentials, right before the
   * transport writes it): the moment the rate limit counts, as the receiver will see it.
   */
  onDeparture?: () => void;
}

/** The sink's own view of its health, for /readyz. */
export type SinkStatus =
  { state: 'ready' } | { state: 'paused'; reason: string } | { state: 'stopped'; reason: string } | { state: 'failing'; reason: string };

/** Where the reporter sends batches; MetaStudio and the dry run implement it. `W` is its wire item. */
export interface Sink<W = unknown> {
  /** Human-readable name (`metastudio`, `dry-run`), for the sink's own logs. */
  readonly name: string;
  /** Encodes and sizes the items `send` takes. */
  readonly encoder: SinkEncoder<W>;
  /** Sends one batch of 1..`encoder.maxItems` items in one request. Never throws for a remote failure. */
  send(items: readonly W[], options?: SendOptions): Promise<SendResult>;
  /** Drops cached credentials and obtains fresh ones (after a `reauth` result). */
  reauthenticate(): Promise<void>;
  /** Starts background work (job following, URL refresh); resolves when first ready or paused. */
  start(signal: AbortSignal): Promise<void>;
  status(): SinkStatus;
  /** Releases connections. */
  close(): Promise<void>;
}
