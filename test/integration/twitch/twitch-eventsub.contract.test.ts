/**
 * The Source conformance suite for `platform: twitch-eventsub` against the fake Twitch API.
 */
import { twitchEventSubPlugin } from '../../../adapters/twitch/plugin.js';
import { closedPort, sourceContract } from '../../helpers/source-contract.js';
import { FakeTwitchApi } from '../../helpers/twitch/fake-eventsub.js';
import { CHANNEL, T0 } from '../../helpers/twitch/scenario.js';

sourceContract(twitchEventSubPlugin, async () => {
  const broadcaster = { id: '71092938', login: CHANNEL.login, displayName: CHANNEL.displayName };
  const api = new FakeTwitchApi({
    clientId: 'contract-client',
    tokens: { 'contract-token': { userId: broadcaster.id, scopes: ['moderator:read:followers'] } },
    users: [broadcaster],
    streams: { [broadcaster.id]: { id: '1', viewerCount: 1, title: 'contract' } },
  });
  await api.listen();
  const port = await closedPort();
  const section = {
    platform: 'twitch-eventsub',
    channel: CHANNEL.login,
    client_id: 'contract-client',
    token: 'contract-token',
    viewers_interval_ms: 0,
  };
  let n = 0;
  return {
    config: { ...section, urls: api.urls() },
    unreachable: { ...section, urls: { eventsub: `ws://127.0.0.1:${port}/ws`, helix: `http://127.0.0.1:${port}/helix` } },
    sendEvent: () => {
      n += 1;
      const conn = api.connections.at(-1);
      if (conn?.subscriptions().some((s) => s.type === 'channel.follow'))
        conn.notify(
          'channel.follow',
          { user_id: `9${n}`, user_login: `f${n}`, user_name: `F${n}`, followed_at: new Date(T0).toISOString() },
          { timestamp: new Date(T0).toISOString() },
        );
    },
    closeCodes: () => api.connections.map((c) => c.closeCode),
    close: () => api.close(),
  };
});
