/**
 * `platform: twitch` (chat) and `platform: twitch-eventsub` as the registry lists them. Both are
 * named after the channel login. Tokens are secrets by their key name; the EventSub source's
 * client id is one too.
 */
import { definePlugin } from '../kit/plugin.js';
import { TWITCH_EVENTSUB_NAMING, TWITCH_NAMING, TwitchEventSubSourceSchema, TwitchSourceSchema } from './config.js';
import { paidOwnershipProblems, type TwitchSourceLike } from './ownership.js';

/** Chat over IRC-on-WebSocket, anonymous or with a token. */
export const twitchPlugin = definePlugin({
  ...TWITCH_NAMING,
  schema: TwitchSourceSchema,
  // One rule for both plugins, registered once: chat and EventSub may not both report the money.
  checkStream: (sources) => paidOwnershipProblems(sources as readonly TwitchSourceLike[]),
  load: () => import('./irc/index.js'),
});

/** Follows, subscriptions, cheers and stream state through EventSub, with a user token. */
export const twitchEventSubPlugin = definePlugin({
  ...TWITCH_EVENTSUB_NAMING,
  schema: TwitchEventSubSourceSchema,
  secretKeys: ['client_id'],
  load: () => import('./eventsub/index.js'),
});
