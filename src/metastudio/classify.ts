/**
 * Turns a failed send into the Reporter's SendResult: transient failures are retried, refused
 * credentials re-authenticated, invalid requests rejected. The sink never retries by itself.
 */
import type { SendResult } from '../core/sink.js';
import { AUTH_ERROR_CODES, ClockSkewError, MetaStudioApiError, THROTTLE_ERROR_CODE, type MetaStudioError } from './errors.js';

/** Statuses worth another try later even though they are 4xx. */
const RETRYABLE_4XX: ReadonlySet<number> = new Set([408, 409, 425, 429]);

/** The SendResult for a MetaStudio error. */
export function classify(err: MetaStudioError): Exclude<SendResult, { kind: 'sent' } | { kind: 'paused' }> {
  const requestId = err.requestId === undefined ? {} : { requestId: err.requestId };
  const reason = err.message;
  if (!(err instanceof MetaStudioApiError)) {
    // Transport failures and unusable answers: the request may not have arrived; try again.
    return { kind: 'retry', reason, code: err.code, ...requestId };
  }
  const status = err.status ?? 0;
  if (err instanceof ClockSkewError || status === 401 || (err.errorCode !== undefined && AUTH_ERROR_CODES.has(err.errorCode))) {
    return { kind: 'reauth', reason, code: err.code, ...requestId };
  }
  if (status >= 500 || RETRYABLE_4XX.has(status) || err.errorCode === THROTTLE_ERROR_CODE) {
    return { kind: 'retry', reason, code: err.code, ...(err.retryAfterMs === undefined ? {} : { retryAfterMs: err.retryAfterMs }), ...requestId };
  }
  return { kind: 'rejected', reason, code: err.code, ...requestId };
}
