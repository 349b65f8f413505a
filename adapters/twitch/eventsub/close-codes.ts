/**
 * EventSub's close codes (4000-4007) as session ends an operator can read. All of them lead to
 * a new session (and the subscriptions made again); 4003 means we subscribed too late.
 */
import type { SessionStop } from '../../kit/index.js';

const REASONS: Readonly<Record<number, string>> = {
  4000: 'internal server error (4000)',
  4001: 'we sent a message, which EventSub forbids (4001)',
  4002: 'the server ping went unanswered (4002)',
  4003: 'connection unused: no subscription was created within the deadline after the welcome (4003)',
  4004: 'the reconnect grace time expired (4004)',
  4005: 'network timeout (4005)',
  4006: 'network error (4006)',
  4007: 'invalid reconnect URL (4007)',
};

/** The end a server close means. */
export function eventSubClose(code: number, reason: string): SessionStop {
  const known = Object.hasOwn(REASONS, code) ? REASONS[code] : undefined;
  return {
    kind: 'closed',
    reason: `twitch eventsub closed the socket: ${known ?? `code ${code}${reason ? ` (${reason})` : ''}`}`,
    code,
  };
}
