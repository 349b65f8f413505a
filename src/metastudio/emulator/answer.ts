/**
 * What a handler answers; server.ts writes it. Error bodies have the API's `{error_code, error_msg}`.
 */
import type { AuthKind } from './types.js';

/** A handler's response, kept apart from node:http so handlers stay plain functions. */
export interface Answer {
  status: number;
  /** An object is sent as JSON; a string is sent as is with `contentType`. */
  body: unknown;
  contentType?: string;
  headers?: Record<string, string>;
  /** How the request authenticated (for the request log). */
  auth?: AuthKind;
}

/** The API's error answer. */
export function apiError(status: number, errorCode: string, errorMsg: string, auth?: AuthKind): Answer {
  return { status, body: { error_code: errorCode, error_msg: errorMsg }, ...(auth ? { auth } : {}) };
}
