/**
 * Creating a fresh session's subscriptions, all at once (the deadline is the welcome's
 * keepalive, 10 s by default). A 401 refuses the whole source (blocked); a 403 refuses one type
 * (its scope or role is missing: logged, the others carry on) and blocks only when every type
 * was refused; 409 means it exists already; anything else fails the session so the lifecycle
 * starts a new one.
 */
import type { Logger } from '../../../src/core/logger.js';
import { HelixRefusedError, type Helix, type SubscriptionSpec } from './helix.js';
import { KIND_SUBSCRIPTIONS } from './subscriptions.js';

/** How creating the subscriptions went. */
export type SubscribeOutcome = { kind: 'ok'; created: number; refused: string[] } | { kind: 'blocked' | 'failed'; reason: string };

function scopeOf(type: string): string {
  for (const entry of Object.values(KIND_SUBSCRIPTIONS)) {
    if (entry.specs({ broadcasterId: '', tokenUserId: '' }).some((s) => s.type === type)) return entry.scope;
  }
  return '';
}

/** Creates every subscription on `sessionId`. */
export async function subscribeAll(
  helix: Helix,
  specs: readonly SubscriptionSpec[],
  sessionId: string,
  signal: AbortSignal,
  logger: Logger,
): Promise<SubscribeOutcome> {
  const results = await Promise.allSettled(specs.map((spec) => helix.subscribe(spec, sessionId, signal)));
  const refused: string[] = [];
  let created = 0;
  for (const [i, r] of results.entries()) {
    const spec = specs[i]!;
    if (r.status === 'fulfilled') {
      created += 1;
      continue;
    }
    const err: unknown = r.reason;
    if (err instanceof HelixRefusedError && err.status === 409) {
      created += 1;
      continue;
    }
    if (err instanceof HelixRefusedError && err.status === 401) return { kind: 'blocked', reason: err.message };
    if (err instanceof HelixRefusedError && err.status === 403) {
      const scope = scopeOf(spec.type);
      logger.warn('twitch refused an eventsub subscription; the others carry on', {
        type: spec.type,
        needs: scope
          ? `the ${scope} scope${spec.type === 'channel.follow' ? ', from the broadcaster or a moderator' : ' from the broadcaster'}`
          : 'nothing',
        error: err.message,
      });
      refused.push(`${spec.type} (needs ${scope || 'no scope'})`);
      continue;
    }
    return { kind: 'failed', reason: err instanceof Error ? err.message : String(err) };
  }
  if (created === 0 && refused.length > 0) return { kind: 'blocked', reason: `twitch refused every subscription: ${refused.join(', ')}` };
  return { kind: 'ok', created, refused };
}
