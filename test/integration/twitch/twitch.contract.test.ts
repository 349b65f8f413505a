/**
 * The Source conformance suite for `platform: twitch` (chat) against the fake chat server.
 */
import { twitchPlugin } from '../../../adapters/twitch/plugin.js';
import { closedPort, sourceContract } from '../../helpers/source-contract.js';
import { FakeIrc } from '../../helpers/twitch/fake-irc.js';
import { privmsg, userTags } from '../../helpers/twitch/irc-lines.js';
import { CHANNEL, T0 } from '../../helpers/twitch/scenario.js';

sourceContract(twitchPlugin, async () => {
  const fake = new FakeIrc({ channels: [{ login: CHANNEL.login, roomId: CHANNEL.roomId }] });
  await fake.listen();
  const port = await closedPort();
  let n = 0;
  return {
    config: { platform: 'twitch', channel: CHANNEL.login, urls: { irc: fake.url } },
    unreachable: { platform: 'twitch', channel: CHANNEL.login, urls: { irc: `ws://127.0.0.1:${port}` } },
    sendEvent: () => {
      n += 1;
      const tags = userTags({ id: `contract-${n}`, login: 'viewer', userId: '42', roomId: CHANNEL.roomId, ts: T0 });
      fake.connections.at(-1)?.send(privmsg({ channel: CHANNEL.login, login: 'viewer', text: 'hi', tags }));
    },
    closeCodes: () => fake.connections.map((c) => c.closeCode),
    close: () => fake.close(),
  };
});
