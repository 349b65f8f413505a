/**
 * Which config values are secrets: every value under a key whose name says so (ak, sk, token,
 * password, cookie, ...), a pre-signed report URL, and the keys each platform's plugin declares
 * (a Bilibili streamer's 身份码). They feed the logger's redactor and are masked when `check`
 * prints the resolved config.
 */
import { registry as builtins, type PluginRegistry } from '../../adapters/registry.js';
import { isSecretKey, MASK } from '../ops/redact.js';

/** Keys that are secret only inside a given parent: a report URL is a capability. */
const SECRET_IN_PARENT: Record<string, readonly string[]> = { auth: ['url'] };

/** Cookie values short enough to be ordinary words are not worth searching for inside strings. */
const MIN_COOKIE_VALUE = 8;

/** Decides, key by key, what is secret: the key's name, its parent, and the source's plugin. */
type SecretTest = (key: string, parent: string | undefined, extra: readonly string[]) => boolean;

const isSecretAt: SecretTest = (key, parent, extra) =>
  isSecretKey(key) || extra.includes(key) || (parent !== undefined && (SECRET_IN_PARENT[parent]?.includes(key) ?? false));

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

/** The extra secret keys of a `sources[]` entry, from its plugin. */
function pluginSecrets(value: unknown, parent: string | undefined, registry: PluginRegistry): readonly string[] {
  if (parent !== 'sources' || value === null || typeof value !== 'object') return [];
  const platform = (value as { platform?: unknown }).platform;
  return typeof platform === 'string' ? (registry.get(platform)?.secretKeys ?? []) : [];
}

// A plugin's secret keys hold inside its whole section, nested objects included (`signer.api_key`).
function collect(
  value: unknown,
  parent: string | undefined,
  registry: PluginRegistry,
  out: string[],
  inherited: readonly string[] = [],
): void {
  if (Array.isArray(value)) {
    for (const v of value) collect(v, parent, registry, out, inherited);
  } else if (value !== null && typeof value === 'object') {
    const own = pluginSecrets(value, parent, registry);
    const extra = own.length ? own : inherited;
    for (const [k, v] of Object.entries(value)) {
      if (typeof v === 'string' && v !== '' && isSecretAt(k, parent, extra)) {
        out.push(v);
        if (k.toLowerCase() === 'cookie') out.push(...cookieValues(v));
      } else collect(v, k, registry, out, extra);
    }
  }
}

/** Collects every secret string value, deep (and each value inside a cookie on its own). */
export function collectSecrets(value: unknown, registry: PluginRegistry = builtins): string[] {
  const out: string[] = [];
  collect(value, undefined, registry, out);
  return out;
}

function mask<T>(value: T, parent: string | undefined, registry: PluginRegistry, inherited: readonly string[] = []): T {
  if (Array.isArray(value)) return value.map((v) => mask(v, parent, registry, inherited)) as T;
  if (value !== null && typeof value === 'object') {
    const own = pluginSecrets(value, parent, registry);
    const extra = own.length ? own : inherited;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = typeof v === 'string' && v !== '' && isSecretAt(k, parent, extra) ? MASK : mask(v, k, registry, extra);
    }
    return out as T;
  }
  return value;
}

/** A deep copy with every secret value replaced by the mask. */
export function maskSecrets<T>(value: T, registry: PluginRegistry = builtins): T {
  return mask(value, undefined, registry);
}
