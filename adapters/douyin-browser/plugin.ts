/**
 * `platform: douyin-browser` as the registry lists it, with the check that tells the operator
 * when the browser profile is not logged in. Neither loads playwright-core.
 */
import { definePlugin } from '../kit/plugin.js';
import { DOUYIN_BROWSER_NAMING, DouyinBrowserSourceSchema } from './config.js';

/** A Douyin room read through a real Chromium tab. */
export const douyinBrowserPlugin = definePlugin({
  ...DOUYIN_BROWSER_NAMING,
  schema: DouyinBrowserSourceSchema,
  async check(config, ctx) {
    // Only the profile helper (no browser): check must stay cheap.
    const { describeProfile, profileDirFor } = await import('./profile.js');
    const profile = await describeProfile(profileDirFor(config, ctx.stateDir, ctx.name));
    return profile.loggedIn ? [] : [profile.detail];
  },
  load: () => import('./index.js'),
});
