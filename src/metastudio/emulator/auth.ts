/**
 * How the emulator checks credentials, like the API gateway does: AK/SK signatures recomputed
 * from the received bytes (with the X-Sdk-Date skew limit), IAM tokens, and the pre-signed report
 * URL's auth_key/expires_time. The URL key scheme is the emulator's own (the real one is not
 * documented): auth_key = hex HMAC-SHA256(key, "room|job|expires_time").
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { parseAuthorization, parseSdkDate, signRequest } from '../signer.js';
import type { EmulatorConfig } from './config.js';
import type { AuthKind } from './types.js';

/** The parts of a request its credentials are checked against; AK/SK needs the exact body bytes. */
export interface AuthRequest {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** Accepted with how, or refused with the gateway's error code and message. */
export type AuthOutcome = { ok: true; kind: AuthKind } | { ok: false; errorCode: string; errorMsg: string };

/** Credentials state the checks read: issued tokens with their expiry, and revocation. */
export interface AuthState {
  config: EmulatorConfig;
  /** token → expiry (ms); Infinity for static tokens. */
  tokens: Map<string, number>;
  now(): number;
}

const header = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const v = headers[name];
  return Array.isArray(v) ? v.join(',') : v;
};

const fail = (errorCode: string, errorMsg: string): AuthOutcome => ({ ok: false, errorCode, errorMsg });

function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

function verifyAksk(req: AuthRequest, state: AuthState, authorization: string): AuthOutcome {
  const parsed = parseAuthorization(authorization);
  if (!parsed) return fail('APIGW.0301', 'Incorrect IAM authentication information: Authorization is not an SDK-HMAC-SHA256 header');
  const pair = state.config.aksk.find((p) => p.ak === parsed.ak);
  if (!pair) return fail('APIGW.0301', 'Incorrect IAM authentication information: unknown access key');
  if (!parsed.signedHeaders.includes('host') || !parsed.signedHeaders.includes('x-sdk-date')) {
    return fail('APIGW.0301', 'Incorrect IAM authentication information: host and x-sdk-date must be signed');
  }
  const date = parseSdkDate(header(req.headers, 'x-sdk-date') ?? '');
  if (date === undefined)
    return fail('APIGW.0301', 'Incorrect IAM authentication information: X-Sdk-Date is missing or not YYYYMMDDTHHMMSSZ');
  if (Math.abs(state.now() - date) > state.config.max_clock_skew_ms) {
    return fail(
      'APIGW.0303',
      'Incorrect app authentication information: the request time (X-Sdk-Date) differs from the server time by more than 15 minutes',
    );
  }
  const signed: Record<string, string> = {};
  for (const name of parsed.signedHeaders) signed[name] = header(req.headers, name) ?? '';
  const expected = signRequest({ method: req.method, url: req.url, headers: signed, body: req.body }, pair.ak, pair.sk);
  if (!sameHex(expected.signature, parsed.signature)) {
    // The gateway echoes its canonical request with '|' for newlines, as a debugging aid.
    return fail(
      'APIGW.0301',
      `Incorrect IAM authentication information: verify aksk signature fail, canonicalRequest: ${expected.canonicalRequest.replace(/\n/g, '|')}`,
    );
  }
  return { ok: true, kind: 'aksk' };
}

/** The emulator's report-URL key for a job and expiry. */
export function reportUrlKey(key: string, roomId: string, jobId: string, expiresTime: number): string {
  return createHmac('sha256', key).update(`${roomId}|${jobId}|${expiresTime}`).digest('hex');
}

function verifyReportUrl(req: AuthRequest, state: AuthState, target: { roomId: string; jobId: string }, authKey: string): AuthOutcome {
  const rawExpires = req.url.searchParams.get('expires_time') ?? header(req.headers, 'x-mss-expires-time');
  const expires = rawExpires !== undefined && /^\d{1,15}$/.test(rawExpires) ? Number(rawExpires) : undefined;
  if (expires === undefined) return fail('MSS.00000001', 'Unauthorized: expires_time is missing or not epoch milliseconds');
  if (!sameHex(reportUrlKey(state.config.report_url.key, target.roomId, target.jobId, expires), authKey)) {
    return fail('MSS.00000001', 'Unauthorized: auth_key does not match');
  }
  if (state.now() > expires) return fail('MSS.00000001', 'Unauthorized: auth_key has expired');
  return { ok: true, kind: 'report_url' };
}

/**
 * Checks a request's credentials. `target` is set for the report operation, the only one a
 * pre-signed URL may authorise.
 */
export function verifyCredentials(req: AuthRequest, state: AuthState, target?: { roomId: string; jobId: string }): AuthOutcome {
  const authorization = header(req.headers, 'authorization');
  if (authorization !== undefined) return verifyAksk(req, state, authorization);
  const token = header(req.headers, 'x-auth-token');
  if (token !== undefined) {
    const expiry = state.tokens.get(token);
    if (expiry === undefined) return fail('APIGW.0301', 'Incorrect IAM authentication information: decrypt token fail');
    if (state.now() >= expiry) return fail('APIGW.0301', 'Incorrect IAM authentication information: The token must be updated');
    return { ok: true, kind: 'token' };
  }
  const authKey = req.url.searchParams.get('auth_key') ?? header(req.headers, 'x-mss-auth-key');
  if (authKey !== undefined && authKey !== null && target) return verifyReportUrl(req, state, target, authKey);
  if (state.config.allow_anonymous) return { ok: true, kind: 'anonymous' };
  return fail('MSS.00000001', 'Unauthorized');
}
