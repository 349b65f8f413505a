/**
 * Which config values are secrets: every value under a key whose name says so (ak, sk, token,
 * password, cookie, url of a pre-signed report URL, ...). They feed the logger's redactor and
 * are masked when `check` prints the resolved config.
 */
import { isSecretKey, MASK } from '../ops/redact.js';

/**
 * Keys that are secret only inside a given parent: a report URL is a capability, and a
 * Bilibili streamer's 身份码 (`code` of a bilibili-open source) lets anyone open their room.
 */
const SECRET_IN_PARENT: Record<string, string[]> = { auth: ['url'], sources: ['code'] };

function isSecretAt(key: string, parent: string | undefined): boolean {
  return isSecretKey(key) || (parent !== undefined && (SECRET_IN_PARENT[parent]?.includes(key) ?? false));
}

/** Cookie values short enough to be ordinary words are not worth searching for inside strings. */
const MIN_COOKIE_VALUE = 8;

/**
 * The values inside a Cookie header (`a=1; SESSDATA=...`): a platform or an error may echo one
 * session value on its own, without the rest of the header.
 */
function cookieValues(header: string): string[] {
  return header
    .split(';')
    .map((pair) => pair.slice(pair.indexOf('=') + 1).trim())
    .filter((v) => v.length >= MIN_COOKIE_VALUE);
}

/** Collects every secret string value, deep (and each value inside a cookie on its own). */
export function collectSecrets(value: unknown, parent?: string, out: string[] = []): string[] {
  if (Array.isArray(value)) {
    for (const v of value) collectSecrets(v, parent, out);
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (typeof v === 'string' && v !== '' && isSecretAt(k, parent)) {
        out.push(v);
        if (k.toLowerCase() === 'cookie') out.push(...cookieValues(v));
      } else collectSecrets(v, k, out);
    }
  }
  return out;
}

/** A deep copy with every secret value replaced by the mask. */
export function maskSecrets<T>(value: T, parent?: string): T {
  if (Array.isArray(value)) return value.map((v) => maskSecrets(v, parent)) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = typeof v === 'string' && v !== '' && isSecretAt(k, parent) ? MASK : maskSecrets(v, k);
    }
    return out as T;
  }
  return value;
}
