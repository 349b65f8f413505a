/**
 * Masking of secrets in text that may reach a log line or an error: configured secret values,
 * and credential query parameters of URLs.
 */
import { MASK } from './auth/types.js';

const SECRET_QUERY = /([?&](?:auth_key|x-mss-auth-key|token)=)[^&\s"'|]*/gi;

/** A mask over the secrets `secrets()` returns at call time (they may change, e.g. a refreshed URL). */
export function secretMask(secrets: () => readonly string[]): (text: string) => string {
  return (text) => {
    let out = text;
    for (const s of [...secrets()].sort((a, b) => b.length - a.length)) {
      if (s.length >= 4 && out.includes(s)) out = out.split(s).join(MASK);
    }
    return out.replace(SECRET_QUERY, `$1${MASK}`);
  };
}
