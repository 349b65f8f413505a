/**
 * Network failures in words an operator can act on. `fetch` says only "fetch failed" and hides
 * the reason in `cause` (often two levels down); this walks the chain and names it: connection
 * refused, DNS, TLS, reset, timeout, with the system code and the host when known.
 */

/** What went wrong, by the system or TLS error code. */
export type NetworkFailure = 'refused' | 'dns' | 'tls' | 'reset' | 'timeout' | 'unreachable' | 'other';

/** The failure's category, its code (e.g. `ECONNREFUSED`) and a one-line description. */
export interface NetworkErrorInfo {
  failure: NetworkFailure;
  code: string | undefined;
  /** e.g. `connection refused (ECONNREFUSED 127.0.0.1:9)`. */
  text: string;
}

const BY_CODE: Record<string, [NetworkFailure, string]> = {
  ECONNREFUSED: ['refused', 'connection refused'],
  ENOTFOUND: ['dns', 'DNS lookup failed: no such host'],
  EAI_AGAIN: ['dns', 'DNS lookup failed (temporary)'],
  EAI_FAIL: ['dns', 'DNS lookup failed'],
  ECONNRESET: ['reset', 'connection reset'],
  EPIPE: ['reset', 'connection closed while sending'],
  UND_ERR_SOCKET: ['reset', 'connection closed by the server'],
  ETIMEDOUT: ['timeout', 'connection timed out'],
  UND_ERR_CONNECT_TIMEOUT: ['timeout', 'connection timed out'],
  UND_ERR_HEADERS_TIMEOUT: ['timeout', 'no answer in time'],
  UND_ERR_BODY_TIMEOUT: ['timeout', 'answer stalled'],
  EHOSTUNREACH: ['unreachable', 'host unreachable'],
  ENETUNREACH: ['unreachable', 'network unreachable'],
};

/** TLS and certificate codes (OpenSSL's, as Node reports them). */
const TLS = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|HOSTNAME_MISMATCH|ERR_OSSL_)/;

function chain(err: unknown): unknown[] {
  const out: unknown[] = [];
  let e: unknown = err;
  while (e !== undefined && e !== null && out.length < 8 && !out.includes(e)) {
    out.push(e);
    e = (e as { cause?: unknown }).cause;
  }
  return out;
}

/** Describes a network error; the deepest coded cause wins. */
export function describeNetworkError(err: unknown): NetworkErrorInfo {
  const links = chain(err);
  const coded = [...links].reverse().find((e) => typeof (e as { code?: unknown }).code === 'string') as
    (Error & { code: string; hostname?: string; address?: string; port?: number; reason?: string }) | undefined;
  if (links.some((e) => e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError')) && !coded) {
    return { failure: 'timeout', code: undefined, text: 'timed out' };
  }
  if (!coded) {
    const deepest = links.at(-1);
    return { failure: 'other', code: undefined, text: deepest instanceof Error ? deepest.message : String(deepest) };
  }
  const where = coded.hostname ?? (coded.address ? `${coded.address}${coded.port ? `:${coded.port}` : ''}` : undefined);
  const known = BY_CODE[coded.code];
  if (known) return { failure: known[0], code: coded.code, text: `${known[1]} (${coded.code}${where ? ` ${where}` : ''})` };
  // OpenSSL messages are long and internal; Node puts the readable part in `reason`.
  const message = (coded.reason ?? coded.message.split('\n')[0] ?? '').trim();
  if (TLS.test(coded.code) || coded.code === 'EPROTO')
    return { failure: 'tls', code: coded.code, text: `TLS failed: ${message} (${coded.code})` };
  return { failure: 'other', code: coded.code, text: `${message} (${coded.code})` };
}

/**
 * A transport failure whose message names its cause (`connection refused (ECONNREFUSED
 * 127.0.0.1:9)`) instead of `fetch failed`; the original error stays as `cause`. The platform
 * clients and signers wrap what fetch threw in one, so every error built from it says why.
 */
export class NetworkError extends Error {
  readonly failure: NetworkFailure;
  /** The system or TLS code, e.g. `ECONNREFUSED`; undefined for a timeout without one. */
  readonly code: string | undefined;

  constructor(cause: unknown) {
    const info = describeNetworkError(cause);
    super(info.text, { cause });
    this.name = 'NetworkError';
    this.failure = info.failure;
    this.code = info.code;
  }
}

/** What fetch threw, as a NetworkError (one already is stays as it is). */
export function networkError(err: unknown): NetworkError {
  return err instanceof NetworkError ? err : new NetworkError(err);
}
