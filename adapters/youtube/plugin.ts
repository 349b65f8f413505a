/**
 * `platform: youtube` as the registry lists it. The room is the configured video, channel or
 * @handle; the Data API key is a secret (its name alone does not say so).
 */
import { definePlugin } from '../kit/plugin.js';
import { YOUTUBE_NAMING, YouTubeSourceSchema } from './config.js';

/** The official Data API v3 chat of a channel or a broadcast. */
export const youtubePlugin = definePlugin({
  ...YOUTUBE_NAMING,
  schema: YouTubeSourceSchema,
  secretKeys: ['api_key'],
  load: () => import('./index.js'),
});
