/**
 * `platform: douyin` as the registry lists it: the room is the web_rid, however it was written.
 */
import { parseCookieHeader } from '../common/http.js';
import { definePlugin } from '../kit/plugin.js';
import { DOUYIN_NAMING, DouyinSourceSchema } from './config.js';

/** Cookies only a logged-in Douyin session has. */
const LOGIN_COOKIES = ['sessionid', 'sessionid_ss', 'sid_tt'] as const;

/** A Douyin web live room over the signed push WebSocket. */
export const douyinPlugin = definePlugin({
  ...DOUYIN_NAMING,
  schema: DouyinSourceSchema,
  check(config) {
    const jar = parseCookieHeader(config.cookie);
    if (LOGIN_COOKIES.some((name) => jar.get(name))) return [];
    return [
      `${config.cookie ? 'the cookie has no login session (sessionid, sessionid_ss or sid_tt)' : 'no cookie'}: ` +
        'Douyin withholds gifts and masks nicknames for anonymous viewers; set `cookie` from a logged-in browser (docs/platforms/douyin.md)',
    ];
  },
  load: () => import('./index.js'),
});
