/**
 * `platform: bilibili` and `platform: bilibili-open` as the registry lists them. The open
 * platform's room is the app (its id); the streamer's 身份码 (`code`) is a secret: it lets anyone
 * open their room.
 */
import { definePlugin } from '../kit/plugin.js';
import { BilibiliOpenSourceSchema, BilibiliSourceSchema, roomIdFrom } from './config.js';

/** The web danmaku socket. */
export const bilibiliPlugin = definePlugin({
  platform: 'bilibili',
  schema: BilibiliSourceSchema,
  room: (config) => roomIdFrom(config.room) ?? config.room,
  load: () => import('./index.js'),
});

/** The official open platform (直播开放平台). */
export const bilibiliOpenPlugin = definePlugin({
  platform: 'bilibili-open',
  schema: BilibiliOpenSourceSchema,
  room: (config) => config.app_id,
  secretKeys: ['code'],
  load: () => import('./open/index.js'),
});
