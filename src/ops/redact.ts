/**
 * Secret redaction for everything the bridge writes: log lines, error messages, printed configs.
 * Two nets: keys whose names say "secret" are masked wherever they appear, and every configured
 * secret value is masked wherever it appears inside any string (a cookie pasted into an error
 * message, a pre-signed URL in a stack trace).
 */

/** The mask that replaces a secret. */
export const MASK = '***';

/** Key names whose values are secrets, matched case-insensitively on the whole key. */
const SECRET_KEY =
  /^(ak|sk|access[_-]?key([_-]?(id|secret))?|secret([_-]?key)?|security[_-]?token|x[_-]auth[_-]token|x[_-]subject[_-]token|x[_-]security[_-]token|token|access[_-]?token|auth[_-]?key|x[_-]mss[_-]auth[_-]key|password|passwd|cookie|set[_-]cookie|authorization|report[_-]?url|live[_-]event[_-]report[_-]url|sessdata|signature)$/i;

/** Query parameters that carry credentials inside URLs. */
const SECRET_QUERY = /([?&](?:auth_key|x-mss-auth-key|token|access_token|signature|msToken|a_bogus|X-Bogus|SESSDATA|key)=)[^&\s"']*/gi;

/** True when a key's value must never be shown. */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

/**
 * Masks secrets in any value, deep. Returns a new value; the input is not modified. Cycles are
 * cut rather than followed.
 */
export class Redactor {
  #values: string[] = [];

  /** Registers secret values (from the resolved config) to mask wherever they appear. */
  addSecrets(values: Iterable<string>): void {
    for (const v of values) {
      // A value under 4 characters would mask ordinary words wherever it appears; such a value
      // is still masked whole under its secret key name, just not searched for inside strings.
      if (v.length >= 4 && !this.#values.includes(v)) this.#values.push(v);
    }
    // Longest first, so a secret that contains another is masked whole.
    this.#values.sort((a, b) => b.length - a.length);
  }

  /** Masks secret values and credential query parameters inside a string. */
  redactString(s: string): string {
    let out = s;
    for (const v of this.#values) {
      if (out.includes(v)) out = out.split(v).join(MASK);
    }
    return out.replace(SECRET_QUERY, `$1${MASK}`);
  }

  /** Masks a value of any shape: secret keys by name, secret values by content. */
  redact(value: unknown, seen: WeakSet<object> = new WeakSet()): unknown {
    if (typeof value === 'string') return this.redactString(value);
    if (value === null || typeof value !== 'object') return value;
    if (seen.has(value)) return '[circular]';
    seen.add(value);
    if (Array.isArray(value)) return value.map((v) => this.redact(v, seen));
    if (value instanceof Error) return this.redactError(value, seen);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = isSecretKey(k) && v !== undefined && v !== null && v !== '' ? MASK : this.redact(v, seen);
    }
    return out;
  }

  #redactErrorFields(err: Error, seen: WeakSet<object>): Record<string, unknown> {
    const out: Record<string, unknown> = {
      name: err.name,
      message: this.redactString(err.message),
      stack: err.stack === undefined ? undefined : this.redactString(err.stack),
    };
    for (const [k, v] of Object.entries(err)) {
      out[k] = isSecretKey(k) ? MASK : this.redact(v, seen);
    }
    if (err.cause !== undefined) out.cause = this.redact(err.cause, seen);
    return out;
  }

  /** An Error as a plain, redacted object (message, stack, code, cause, own fields). */
  redactError(err: Error, seen: WeakSet<object> = new WeakSet()): Record<string, unknown> {
    return this.#redactErrorFields(err, seen);
  }
}
