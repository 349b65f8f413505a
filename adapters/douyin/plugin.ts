/**
 * `platform: douyin` as the registry lists it: the room is the web_rid, however it was written.
 */
import { definePlugin } from '../kit/plugin.js';
import { DOUYIN_NAMING, DouyinSourceSchema } from './config.js';

/** A Douyin web live room over the signed push WebSocket. */
export const douyinPlugin = definePlugin({
  ...DOUYIN_NAMING,
  schema: DouyinSourceSchema,
  load: () => import('./index.js'),
});
