/**
 * `platform: youtube` as the registry lists it. The room is the configured video, channel or
 * @handle; the Data API key is a secret (its name alone does not say so).
 */
import { definePlugin } from '../kit/plugin.js';
import { YouTubeSourceSchema } from './config.js';
import { parseRoom, roomLabel } from './room.js';

/** The official Data API v3 chat of a channel or a broadcast. */
export const youtubePlugin = definePlugin({
  platform: 'youtube',
  schema: YouTubeSourceSchema,
  room: (config) => {
    const room = parseRoom(config.room);
    return room ? roomLabel(room) : config.room;
  },
  secretKeys: ['api_key'],
  load: () => import('./index.js'),
});
