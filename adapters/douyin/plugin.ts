/**
 * `platform: douyin` as the registry lists it: the room is the web_rid, however it was written.
 */
import { definePlugin } from '../kit/plugin.js';
import { DouyinSourceSchema, webRidFrom } from './config.js';

/** A Douyin web live room over the signed push WebSocket. */
export const douyinPlugin = definePlugin({
  platform: 'douyin',
  schema: DouyinSourceSchema,
  room: (config) => webRidFrom(config.room) ?? config.room,
  load: () => import('./index.js'),
});
