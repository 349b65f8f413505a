/**
 * `check --online` for an EventSub source, without opening a socket: Twitch's OAuth server says
 * whether the token is valid, a user token, issued to `client_id` and carrying the scopes the
 * configured `events` need; then the source's own resolve (Helix /users) finds the channel, and
 * Helix /streams says whether it is live. A token problem is `blocked` with what to do about it.
 */
import type { ProbeResult, SourceShell } from '../../kit/index.js';
import type { TwitchEventSubSourceConfig } from '../config.js';
import { TwitchEventSubConnector } from './connector.js';
import { HelixRefusedError, type TokenInfo } from './helix.js';
import { KIND_SUBSCRIPTIONS, scopesFor } from './subscriptions.js';

function expiry(seconds: number): string {
  if (seconds === 0) return 'does not expire';
  if (seconds < 3_600) return `expires in ${Math.max(1, Math.round(seconds / 60))} min`;
  return `expires in ${Math.floor(seconds / 3_600)} h`;
}

/** Why this token cannot serve this source, or undefined when it can. */
export function tokenProblem(token: TokenInfo, config: TwitchEventSubSourceConfig): string | undefined {
  if (token.userId === undefined)
    return 'the token is an app access token; EventSub over WebSocket needs a user access token (docs/platforms/twitch.md)';
  // Helix refuses a token with another application's client id (401): neither id is printed, both are secrets.
  if (token.clientId !== config.client_id) return 'the token was issued to another application than client_id (Helix would answer 401)';
  const missing = scopesFor(config.events).filter((s) => !token.scopes.includes(s));
  if (missing.length === 0) return undefined;
  const needing = config.events.filter((k) => missing.includes(KIND_SUBSCRIPTIONS[k].scope));
  return (
    `the token of ${token.login ?? token.userId} lacks ${missing.join(', ')} (needed for events: ${needing.join(', ')}); ` +
    'authorize the application again with these scopes (docs/platforms/twitch.md)'
  );
}

/** The token, the channel and its stream, as the running source would find them. */
export async function probeEventSub(config: TwitchEventSubSourceConfig, shell: SourceShell, signal: AbortSignal): Promise<ProbeResult> {
  const connector = new TwitchEventSubConnector(config, shell);
  let token: TokenInfo;
  try {
    token = await connector.helix.validate(signal);
  } catch (err) {
    if (err instanceof HelixRefusedError && err.status === 401)
      return { state: 'blocked', reason: `the token is invalid or expired: ${err.message}` };
    throw err;
  }
  const problem = tokenProblem(token, config);
  if (problem) return { state: 'blocked', reason: problem };
  const found = await connector.resolve(signal);
  if (found.kind !== 'live') return { state: found.kind, reason: found.reason };
  const { broadcaster, tokenUser } = found.target;
  const scopes = scopesFor(config.events);
  const follows =
    config.events.includes('follow') && tokenUser.id !== broadcaster.id
      ? `; follows need ${tokenUser.login} to moderate ${broadcaster.login}`
      : '';
  const tokenText =
    `token of ${tokenUser.login} valid for ${config.events.join(', ')} (${scopes.length > 0 ? `scopes ${scopes.join(' ')}` : 'no scope needed'}), ` +
    `${expiry(token.expiresIn)}${follows}`;
  const stream = await connector.helix.stream(broadcaster.id, signal);
  const channel = `channel ${broadcaster.login} (user id ${broadcaster.id})`;
  if (!stream) return { state: 'offline', reason: `${channel} is not live; ${tokenText}` };
  return { state: 'live', detail: `${channel} "${stream.title}", ${stream.viewerCount} viewers; ${tokenText}` };
}
