/**
 * `platform: tiktok` as the registry lists it: the room is the @handle (or the room id), however
 * it was written; the sign server's API key is a secret beyond what its name says.
 */
import { definePlugin } from '../kit/index.js';
import { roomRefFrom, TikTokSourceSchema } from './config.js';

/** A TikTok LIVE room over the signed push WebSocket. */
export const tiktokPlugin = definePlugin({
  platform: 'tiktok',
  schema: TikTokSourceSchema,
  room: (config) => {
    const ref = roomRefFrom(config.room);
    return ref?.kind === 'handle' ? `@${ref.handle}` : (ref?.roomId ?? config.room);
  },
  secretKeys: ['api_key'],
  check: (config) => {
    const warnings: string[] = [];
    if (!config.signer.api_key) warnings.push('signer.api_key is empty: anonymous sign calls get the smallest rate limits');
    if (config.cookie && config.signer.session_host !== new URL(config.signer.url).host)
      warnings.push('a cookie is set but signer.session_host does not name the signer host: the signer will sign without the session');
    if (roomRefFrom(config.room)?.kind === 'room_id')
      warnings.push('room is a room id: it follows one broadcast only (use the @handle to follow the account)');
    return warnings;
  },
  load: () => import('./index.js'),
});
