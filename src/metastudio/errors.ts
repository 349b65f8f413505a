/**
 * MetaStudio errors with stable codes. The API's refusal (an answer with an error status) and the
 * transport's failure (no usable answer) are different classes, so callers never confuse
 * "MetaStudio said no" with "we could not reach MetaStudio".
 */
import { BridgeError, ConfigError } from '../core/errors.js';
import type { RequestObservation } from '../core/status.js';
import { describeNetworkError } from '../core/net-error.js';

/** Which MetaStudio call an error or observation belongs to. */
export type Operation = RequestObservation['operation'];

/** What every MetaStudio error carries besides its code. */
export interface ErrorDetails {
  operation: Operation;
  status?: number;
  /** The API's `error_code`, e.g. `MSS.00000003`, `APIGW.0308`. */
  errorCode?: string;
  /** The API's `error_msg` (secrets masked). */
  errorMsg?: string;
  /** The answer's X-Request-Id. */
  requestId?: string;
  /** Milliseconds the server asked us to wait (Retry-After). */
  retryAfterMs?: number;
}

/** Base of every MetaStudio error. */
export class MetaStudioError extends BridgeError {
  readonly operation: Operation;
  readonly status?: number;
  readonly errorCode?: string;
  readonly errorMsg?: string;
  readonly requestId?: string;
  readonly retryAfterMs?: number;

  constructor(code: string, message: string, details: ErrorDetails, options?: { cause?: unknown }) {
    super(code, message, options);
    this.operation = details.operation;
    this.status = details.status;
    this.errorCode = details.errorCode;
    this.errorMsg = details.errorMsg;
    this.requestId = details.requestId;
    this.retryAfterMs = details.retryAfterMs;
  }
}

/** Stable codes of API refusals, by what the answer means. */
export const API_CODES = {
  rejected: 'metastudio_rejected',
  unauthorized: 'metastudio_unauthorized',
  forbidden: 'metastudio_forbidden',
  notFound: 'metastudio_not_found',
  throttled: 'metastudio_throttled',
  server: 'metastudio_server_error',
  other: 'metastudio_http_error',
} as const;

/** Gateway codes for refused credentials (wrong AK/SK, signature, token, or X-Sdk-Date skew). */
export const AUTH_ERROR_CODES: ReadonlySet<string> = new Set(['APIGW.0301', 'APIGW.0303']);
/** The gateway's throttling code. */
export const THROTTLE_ERROR_CODE = 'APIGW.0308';

function apiCode(status: number, errorCode: string | undefined): string {
  if (status === 429 || errorCode === THROTTLE_ERROR_CODE) return API_CODES.throttled;
  if (status === 401 || (errorCode !== undefined && AUTH_ERROR_CODES.has(errorCode))) return API_CODES.unauthorized;
  if (status === 403) return API_CODES.forbidden;
  if (status === 404) return API_CODES.notFound;
  if (status >= 500) return API_CODES.server;
  if (status >= 400) return API_CODES.rejected;
  return API_CODES.other;
}

/** MetaStudio (or IAM) answered and refused the request. */
export class MetaStudioApiError extends MetaStudioError {
  constructor(details: ErrorDetails & { status: number }, code = apiCode(details.status, details.errorCode)) {
    const what = [details.errorCode, details.errorMsg].filter((s) => s !== undefined && s !== '').join(': ');
    super(
      code,
      `${details.operation} refused: HTTP ${details.status}${what ? ` ${what}` : ''}${details.requestId ? ` (request id ${details.requestId})` : ''}`,
      details,
    );
  }
}

/**
 * The gateway refused our AK/SK signature and its Date header shows our clock is more than
 * 15 minutes off: re-signing will not help until the clock is fixed (or the offset applied).
 */
export class ClockSkewError extends MetaStudioApiError {
  /** Server time minus our time, ms. */
  readonly skewMs: number;

  constructor(details: ErrorDetails & { status: number }, skewMs: number) {
    super(details, 'metastudio_clock_skew');
    this.skewMs = skewMs;
    this.message = `${this.message}; the local clock is ${Math.round(Math.abs(skewMs) / 1000)} s ${skewMs > 0 ? 'behind' : 'ahead of'} the server (the gateway allows 15 min): fix NTP`;
  }
}

/** No answer: connection refused or reset, DNS failure, the request timed out or was aborted. */
export class MetaStudioTransportError extends MetaStudioError {
  /** `timeout` and `aborted` requests may have been processed; `network` ones are taken as not. */
  readonly kind: 'network' | 'timeout' | 'aborted';

  constructor(kind: 'network' | 'timeout' | 'aborted', details: ErrorDetails, cause: unknown) {
    // The cause in words (connection refused, DNS, TLS, reset), not undici's "fetch failed".
    const why = describeNetworkError(cause).text;
    const code = { network: 'metastudio_network', timeout: 'metastudio_timeout', aborted: 'metastudio_aborted' }[kind];
    const message = {
      network: `${details.operation} failed: ${why}`,
      timeout: `${details.operation} timed out`,
      aborted: `${details.operation} aborted before its answer`,
    }[kind];
    super(code, message, details, { cause });
    this.kind = kind;
  }
}

/** An answer came but it is not what the API sends (non-JSON, HTML, truncated, wrong shape). */
export class MetaStudioResponseError extends MetaStudioError {
  constructor(details: ErrorDetails, what: string) {
    super(
      'metastudio_bad_response',
      `${details.operation}: unusable answer (HTTP ${details.status ?? '?'}): ${what}${details.requestId ? ` (request id ${details.requestId})` : ''}`,
      details,
    );
  }
}

/**
 * The sink cannot be set up as configured (e.g. no IAM endpoint can be derived): a config
 * error, so the process exits 78 and its supervisor does not restart it.
 */
export class MetaStudioSetupError extends ConfigError {
  constructor(message: string) {
    super([message]);
  }
}
