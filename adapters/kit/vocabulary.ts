/**
 * The kit's words, each written once: why a session ended, what the lifecycle does about it, and
 * why a (re)connection attempt started. Every one is a snake_case token (`^[a-z0-9_]+$`), so logs,
 * metrics labels and tests can match on them; the detail an operator reads travels beside them.
 */

/** The shape of every code and reason: lower-case letters, digits and underscores. */
export const TOKEN = /^[a-z0-9_]+$/;

/**
 * Why a session ended (other than the source being stopped):
 * - `stall`: nothing arrived for the stall timeout;
 * - `closed`: the transport went away (server close, reset, refused handshake);
 * - `crashed`: the session's transport failed with an error worth an `error` state (a browser died);
 * - `moved`: the server asked us to reconnect now, maybe elsewhere (Twitch RECONNECT, EventSub session_reconnect);
 * - `auth_failed`: the server refused our credentials or token; resolve again for fresh ones;
 * - `restart`: the platform ended the session (Bilibili INTERACTION_END, Kuaishou SC_ERROR): resolve again;
 * - `blocked`: risk control refused us; retry slowly;
 * - `ended`: the broadcast ended; poll until the next one;
 * - `fatal`: nothing will help until an operator acts (a revoked app, an unknown channel).
 */
export const SESSION_END_KINDS = ['stall', 'closed', 'crashed', 'moved', 'auth_failed', 'restart', 'blocked', 'ended', 'fatal'] as const;
/** One of {@link SESSION_END_KINDS}. */
export type SessionEndKind = (typeof SESSION_END_KINDS)[number];

/** What the lifecycle does next. */
export const RECOVERIES = ['reconnect', 'resolve', 'slow_retry', 'poll', 'fatal'] as const;
/** One of {@link RECOVERIES}. */
export type Recovery = (typeof RECOVERIES)[number];

/**
 * The default answer to every session end, as one table (discord.js's close-code switch, written
 * as data). A connector overrides single rows through its policy.
 */
export const RECOVERY = {
  stall: 'reconnect',
  closed: 'reconnect',
  crashed: 'reconnect',
  moved: 'reconnect',
  auth_failed: 'resolve',
  restart: 'resolve',
  blocked: 'slow_retry',
  ended: 'poll',
  fatal: 'fatal',
} as const satisfies Record<SessionEndKind, Recovery>;

/**
 * Why a (re)connection attempt started, as the `reconnect` event says it: `initial`, a session
 * end kind, or one of the lifecycle's own steps.
 */
export const RECONNECT_REASONS = [
  'initial',
  'stall',
  'closed',
  'crashed',
  'moved',
  'auth_failed',
  'restart',
  'blocked_retry',
  'new_broadcast',
  'recheck',
  'resolve_failed',
  'connect_failed',
  'loop',
] as const;
/** One of {@link RECONNECT_REASONS}. */
export type ReconnectReason = (typeof RECONNECT_REASONS)[number];

/** Discard reasons the kit itself reports (each adapter declares its own beside its codec). */
export const KIT_DISCARD_REASONS = ['handler_error', 'text_frame', 'binary_frame'] as const;
/** One of {@link KIT_DISCARD_REASONS}. */
export type KitDiscardReason = (typeof KIT_DISCARD_REASONS)[number];
