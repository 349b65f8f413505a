/**
 * Event ids for both Twitch sources. Twitch gives every chat line (`id` tag) and every EventSub
 * notification (`message_id`) its own id; those become the event ids, so the pipeline's dedupe
 * sees a line delivered again after a reconnect under the same id.
 */
import { createHash } from 'node:crypto';

const DEFAULTS = { maxRawIdChars: 200 } as const;

/** The platform name stamped on the events of both Twitch sources (their ids share one space). */
export const PLATFORM = 'twitch';

/** An id from stable fields, for the rare line without an `id` tag. */
export function hashId(prefix: string, parts: readonly string[]): string {
  return `${prefix}:h${createHash('sha1').update(parts.join('\u0001')).digest('hex').slice(0, 24)}`;
}

/** A platform-given id, with an optional suffix for a second event from the same message; a hostile oversized one is hashed. */
export function eventId(raw: string, suffix?: string): string {
  const base = raw.length <= DEFAULTS.maxRawIdChars ? raw : hashId('long', [raw]);
  return suffix ? `${base}:${suffix}` : base;
}
