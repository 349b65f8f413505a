/**
 * `platform: bilibili` and `platform: bilibili-open` as the registry lists them. The open
 * platform's room is the app (its id); the streamer's 身份码 (`code`) is a secret: it lets anyone
 * open their room.
 */
import { parseCookieHeader } from '../common/http.js';
import { definePlugin } from '../kit/plugin.js';
import { BILIBILI_NAMING, BILIBILI_OPEN_NAMING, BilibiliOpenSourceSchema, BilibiliSourceSchema } from './config.js';

/** The web danmaku socket. */
export const bilibiliPlugin = definePlugin({
  ...BILIBILI_NAMING,
  schema: BilibiliSourceSchema,
  check(config) {
    if (parseCookieHeader(config.cookie).get('SESSDATA')) return [];
    return [
      `${config.cookie ? 'the cookie has no SESSDATA' : 'no cookie'}: Bilibili masks names and sends uid 0 to anonymous sockets ` +
        'within minutes; set `cookie` from a logged-in browser (docs/platforms/bilibili.md)',
    ];
  },
  load: () => import('./index.js'),
});

/** The official open platform (直播开放平台). */
export const bilibiliOpenPlugin = definePlugin({
  ...BILIBILI_OPEN_NAMING,
  schema: BilibiliOpenSourceSchema,
  secretKeys: ['code'],
  load: () => import('./open/index.js'),
});
