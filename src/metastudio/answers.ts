/**
 * Reading MetaStudio's and IAM's answers: JSON bodies checked for shape, error bodies turned
 * into MetaStudioApiError, Retry-After parsed (seconds or HTTP-date), and clock skew detected
 * from the gateway's Date header.
 */
import {
  AUTH_ERROR_CODES,
  ClockSkewError,
  MetaStudioApiError,
  MetaStudioResponseError,
  type ErrorDetails,
  type Operation,
} from './errors.js';
import type { HttpAnswer } from './http.js';

/** The gateway refuses requests whose X-Sdk-Date is further than this from its clock. */
export const MAX_CLOCK_SKEW_MS = 15 * 60_000;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Replaces secrets in text that came from the server (an echoed header, a URL). */
export type Mask = (text: string) => string;

function describe(answer: HttpAnswer): string {
  const type = answer.headers['content-type'] ?? 'no content type';
  if (answer.text.trim() === '') return `empty body (${type})`;
  if (/^\s*</.test(answer.text)) return `HTML or XML instead of JSON (${type}, ${Buffer.byteLength(answer.text)} bytes)`;
  return `body is not valid JSON (${type}, ${Buffer.byteLength(answer.text)} bytes)`;
}

/** The answer's JSON object body; throws MetaStudioResponseError for anything else. */
export function jsonBody(answer: HttpAnswer, operation: Operation): Obj {
  const details = { operation, status: answer.status, requestId: answer.requestId };
  let parsed: unknown;
  try {
    parsed = JSON.parse(answer.text);
  } catch {
    throw new MetaStudioResponseError(details, describe(answer));
  }
  if (!isObj(parsed)) throw new MetaStudioResponseError(details, 'the JSON body is not an object');
  return parsed;
}

/** Milliseconds to wait from a Retry-After value (delta seconds or an HTTP-date); undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  if (Number.isNaN(at) || !/[a-z]/i.test(v)) return undefined;
  return Math.max(0, at - nowMs);
}

/**
 * The error an answer with an error status stands for. `now` is the time the request was signed
 * with (for clock-skew detection on `signed` requests).
 */
export function errorFromAnswer(
  answer: HttpAnswer,
  operation: Operation,
  opts: { now: number; mask: Mask; signed: boolean },
): MetaStudioApiError {
  let errorCode: string | undefined;
  let errorMsg: string | undefined;
  try {
    const body: unknown = JSON.parse(answer.text);
    if (isObj(body) && typeof body.error_code === 'string') {
      errorCode = body.error_code;
      errorMsg = typeof body.error_msg === 'string' ? body.error_msg : undefined;
    } else if (isObj(body) && isObj(body.error)) {
      // IAM's shape: {"error": {"code": 401, "message": "...", "title": "..."}}; the code is the status.
      errorMsg = typeof body.error.message === 'string' ? body.error.message : undefined;
    }
  } catch {
    errorMsg = describe(answer);
  }
  // Server time for Retry-After dates is the server's own clock when it sent one.
  const serverNow = answer.headers.date === undefined ? Number.NaN : Date.parse(answer.headers.date);
  const retryAfterMs = parseRetryAfter(answer.headers['retry-after'], Number.isNaN(serverNow) ? opts.now : serverNow);
  const details: ErrorDetails & { status: number } = {
    operation,
    status: answer.status,
    ...(errorCode === undefined ? {} : { errorCode }),
    ...(errorMsg === undefined ? {} : { errorMsg: opts.mask(errorMsg).slice(0, 500) }),
    ...(answer.requestId === undefined ? {} : { requestId: answer.requestId }),
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  };
  // Only the gateway's signature refusals say anything about X-Sdk-Date.
  const signatureRefused = errorCode !== undefined && AUTH_ERROR_CODES.has(errorCode);
  if (opts.signed && signatureRefused && !Number.isNaN(serverNow) && Math.abs(serverNow - opts.now) > MAX_CLOCK_SKEW_MS) {
    return new ClockSkewError(details, serverNow - opts.now);
  }
  return new MetaStudioApiError(details);
}
