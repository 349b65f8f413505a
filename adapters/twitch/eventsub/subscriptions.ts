/**
 * Which EventSub subscriptions each configured kind needs, with their versions, conditions and
 * the scope the token must carry (docs/platforms/twitch.md repeats this table).
 */
import type { EventSubKind } from '../config.js';
import type { SubscriptionSpec } from './helix.js';

/** The ids a condition names: the channel's, and the token owner's (the moderator for follows). */
export interface ConditionIds {
  broadcasterId: string;
  tokenUserId: string;
}

/** Kind → subscriptions, and the scope Twitch requires for them ('' when none). */
export const KIND_SUBSCRIPTIONS: Readonly<Record<EventSubKind, { scope: string; specs: (ids: ConditionIds) => SubscriptionSpec[] }>> = {
  follow: {
    scope: 'moderator:read:followers',
    specs: (ids) => [
      { type: 'channel.follow', version: '2', condition: { broadcaster_user_id: ids.broadcasterId, moderator_user_id: ids.tokenUserId } },
    ],
  },
  stream: {
    scope: '',
    specs: (ids) => [
      { type: 'stream.online', version: '1', condition: { broadcaster_user_id: ids.broadcasterId } },
      { type: 'stream.offline', version: '1', condition: { broadcaster_user_id: ids.broadcasterId } },
    ],
  },
  subscribe: {
    scope: 'channel:read:subscriptions',
    specs: (ids) => [
      { type: 'channel.subscribe', version: '1', condition: { broadcaster_user_id: ids.broadcasterId } },
      { type: 'channel.subscription.message', version: '1', condition: { broadcaster_user_id: ids.broadcasterId } },
    ],
  },
  gift: {
    scope: 'channel:read:subscriptions',
    specs: (ids) => [{ type: 'channel.subscription.gift', version: '1', condition: { broadcaster_user_id: ids.broadcasterId } }],
  },
  cheer: {
    scope: 'bits:read',
    specs: (ids) => [{ type: 'channel.cheer', version: '1', condition: { broadcaster_user_id: ids.broadcasterId } }],
  },
};

/** Every subscription the configured kinds need, in a stable order. */
export function subscriptionsFor(kinds: readonly EventSubKind[], ids: ConditionIds): SubscriptionSpec[] {
  return kinds.flatMap((k) => KIND_SUBSCRIPTIONS[k].specs(ids));
}

/** The scopes a token needs for these kinds (sorted, without duplicates). */
export function scopesFor(kinds: readonly EventSubKind[]): string[] {
  return [...new Set(kinds.map((k) => KIND_SUBSCRIPTIONS[k].scope).filter((s) => s !== ''))].sort();
}
