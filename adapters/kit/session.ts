/**
 * What every session (a socket, a polling loop, a browser tab) hands back to the lifecycle: how it
 * ended and whether it worked.
 */
import type { SessionEndKind } from './vocabulary.js';

/**
 * How a session ended. `reason` is for the operator (logged, and in the `connecting` state);
 * `code` is the platform's own (a close code 4003, an auth reply -101, `sc_error`), kept for logs
 * and for an `error` state; `retryAfterMs` is a delay the server asked for; `url` is where a
 * `moved` session continues (EventSub's reconnect_url).
 */
export type SessionEnd =
  { kind: 'aborted' } | { kind: SessionEndKind; reason: string; code?: string | number; retryAfterMs?: number; url?: string };

/** A session end other than the source being stopped. */
export type SessionStop = Exclude<SessionEnd, { kind: 'aborted' }>;

/** What one session amounted to. */
export interface SessionResult {
  end: SessionEnd;
  /**
   * The session worked (the connector said so: a frame decoded, AUTH accepted): the backoff and
   * the "resolve again" counter start over.
   */
  healthy: boolean;
  /** Messages received. */
  frames: number;
}
