/**
 * `platform: bilibili` and `platform: bilibili-open` as the registry lists them. The open
 * platform's room is the app (its id); the streamer's 身份码 (`code`) is a secret: it lets anyone
 * open their room.
 */
import { definePlugin } from '../kit/plugin.js';
import { BILIBILI_NAMING, BILIBILI_OPEN_NAMING, BilibiliOpenSourceSchema, BilibiliSourceSchema } from './config.js';

/** The web danmaku socket. */
export const bilibiliPlugin = definePlugin({
  ...BILIBILI_NAMING,
  schema: BilibiliSourceSchema,
  load: () => import('./index.js'),
});

/** The official open platform (直播开放平台). */
export const bilibiliOpenPlugin = definePlugin({
  ...BILIBILI_OPEN_NAMING,
  schema: BilibiliOpenSourceSchema,
  secretKeys: ['code'],
  load: () => import('./open/index.js'),
});
