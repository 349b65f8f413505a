/**
 * Turns a failed send into the Reporter's SendResult: transient failures are retried, refused
 * credentials re-authenticated, invalid requests rejected. The sink never retries by itself.
 */
import type { SendResult } from '../core/sink.js';
import {
  AUTH_ERROR_CODES,
  ClockSkewError,
  MetaStudioApiError,
  MetaStudioTransportError,
  THROTTLE_ERROR_CODE,
  type MetaStudioError,
} from './errors.js';

/**
 * Statuses that mean "this request's content is invalid": only these are bisected, since
 * splitting a batch helps only when one event in it is bad. Any other refusal would reject every
 * half too, costing 2N-1 requests and dropping every event, gifts included.
 */
const INVALID_REQUEST: ReadonlySet<number> = new Set([400, 413, 422]);

/** Refusals of the token itself that MetaStudio answers with 400 (MSS.00010008/00010009). */
const TOKEN_ERROR_CODES: ReadonlySet<string> = new Set(['MSS.00010008', 'MSS.00010009']);

/** The SendResult for a MetaStudio error. */
export function classify(err: MetaStudioError): Exclude<SendResult, { kind: 'sent' } | { kind: 'paused' }> {
  const requestId = err.requestId === undefined ? {} : { requestId: err.requestId };
  const reason = err.message;
  if (err instanceof MetaStudioTransportError && err.kind !== 'network') {
    // It left and no answer came in time: MetaStudio may have processed it (docs/delivery.md).
    return { kind: 'uncertain', reason, code: err.code };
  }
  if (!(err instanceof MetaStudioApiError)) {
    // Refused or reset connections and unusable answers: taken as not processed; try again.
    return { kind: 'retry', reason, code: err.code, ...requestId };
  }
  const status = err.status ?? 0;
  const code = err.errorCode;
  if (
    err instanceof ClockSkewError ||
    status === 401 ||
    status === 403 ||
    (code !== undefined && (AUTH_ERROR_CODES.has(code) || TOKEN_ERROR_CODES.has(code)))
  ) {
    return { kind: 'reauth', reason, code: err.code, ...requestId };
  }
  if (INVALID_REQUEST.has(status) && code !== THROTTLE_ERROR_CODE) {
    return { kind: 'rejected', reason, code: err.code, ...requestId };
  }
  // 5xx, 429, throttling, and refusals we cannot attribute to one event (404, 408, 409, ...):
  // keep the events and try again later; they age out as usual if it never clears.
  return {
    kind: 'retry',
    reason,
    code: err.code,
    ...(err.retryAfterMs === undefined ? {} : { retryAfterMs: err.retryAfterMs }),
    ...requestId,
  };
}
