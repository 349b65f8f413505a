/**
 * Huawei Cloud API Gateway request signing, "SDK-HMAC-SHA256" (devg-apisign, api-sign-algorithm).
 * Pure: the same functions sign our requests and let the emulator verify them.
 */
import { createHash, createHmac } from 'node:crypto';

/** The algorithm name that prefixes the Authorization header. */
export const SIGNING_ALGORITHM = 'SDK-HMAC-SHA256';

/** What one signature covers. Header names may have any case; values are sent as given. */
export interface SignableRequest {
  method: string;
  /** The full request URL (scheme, host, path and query as sent). */
  url: URL;
  /** The headers to sign; must include `host` and `x-sdk-date` (any case). */
  headers: Readonly<Record<string, string>>;
  /** The exact body bytes sent (empty for none). */
  body: string | Uint8Array;
}

/** Every intermediate value, so a mismatch can be debugged step by step. */
export interface Signature {
  canonicalRequest: string;
  canonicalRequestSha256: string;
  stringToSign: string;
  signedHeaders: string;
  signature: string;
  authorization: string;
}

/** Percent-encodes with the gateway's rule: only `A-Z a-z 0-9 - _ . ~` stay as they are. */
export function signingEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Lower-case hex SHA-256 of a string (UTF-8) or bytes. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    // A lone `%` is not an escape: sign the segment as literal text.
    return segment;
  }
}

/** Each path segment encoded, always ending with `/` (the request itself need not). */
export function canonicalUri(pathname: string): string {
  const encoded = pathname
    .split('/')
    .map((s) => signingEncode(decodeSegment(s)))
    .join('/');
  return encoded.endsWith('/') ? encoded : `${encoded}/`;
}

/** Parameters sorted by encoded key (then value), `k=v` joined by `&`; an empty value keeps `=`. */
export function canonicalQuery(params: URLSearchParams): string {
  const pairs = [...params].map(([k, v]) => [signingEncode(k), signingEncode(v)] as const);
  pairs.sort((a, b) => (a[0] === b[0] ? cmp(a[1], b[1]) : cmp(a[0], b[0])));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `YYYYMMDDTHHMMSSZ` in UTC, the X-Sdk-Date format. */
export function sdkDate(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** Parses an X-Sdk-Date; undefined when it is not in the required format. */
export function parseSdkDate(value: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  return Number.isNaN(ms) ? undefined : ms;
}

/** Signs a request with an access key pair. Throws when `host` or `x-sdk-date` is missing. */
export function signRequest(request: SignableRequest, ak: string, sk: string): Signature {
  const lower = new Map<string, string>();
  for (const [name, value] of Object.entries(request.headers)) lower.set(name.toLowerCase(), value.trim());
  const date = lower.get('x-sdk-date');
  if (!lower.has('host') || date === undefined) throw new TypeError('signing needs the host and x-sdk-date headers');
  const names = [...lower.keys()].sort();
  const signedHeaders = names.join(';');
  const canonicalHeaders = names.map((n) => `${n}:${lower.get(n) ?? ''}\n`).join('');
  const canonicalRequest = [
    request.method.toUpperCase(),
    canonicalUri(request.url.pathname),
    canonicalQuery(request.url.searchParams),
    canonicalHeaders,
    signedHeaders,
    sha256Hex(request.body),
  ].join('\n');
  const canonicalRequestSha256 = sha256Hex(canonicalRequest);
  const stringToSign = `${SIGNING_ALGORITHM}\n${date}\n${canonicalRequestSha256}`;
  const signature = createHmac('sha256', sk).update(stringToSign).digest('hex');
  const authorization = `${SIGNING_ALGORITHM} Access=${ak}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return { canonicalRequest, canonicalRequestSha256, stringToSign, signedHeaders, signature, authorization };
}

/** The parts of an Authorization header; undefined when it is not an SDK-HMAC-SHA256 one. */
export function parseAuthorization(header: string): { ak: string; signedHeaders: string[]; signature: string } | undefined {
  const m = /^SDK-HMAC-SHA256\s+Access=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})$/.exec(header.trim());
  if (!m?.[1] || !m[2] || !m[3]) return undefined;
  return { ak: m[1], signedHeaders: m[2].split(';'), signature: m[3] };
}
