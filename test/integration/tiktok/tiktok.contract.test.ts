import { tiktokPlugin } from '../../../adapters/tiktok/plugin.js';
import { common, msgFrame, user } from '../../helpers/tiktok/frames.js';
import { FakeTikTok } from '../../helpers/tiktok/fake-tiktok.js';
import { HANDLE, ROOM_ID, T0, VIEWER } from '../../helpers/tiktok/scenario.js';
import { closedPort, sourceContract } from '../../helpers/source-contract.js';

sourceContract(tiktokPlugin, async () => {
  const fake = await FakeTikTok.start({
    handle: HANDLE,
    broadcast: { roomId: ROOM_ID, status: 2, title: 'contract' },
    apiKey: 'contract-key',
  });
  const port = await closedPort();
  const dead = (u: string) => u.replace(/:\d+\//, `:${port}/`).replace(/:\d+$/, `:${port}`);
  const deadUrls = Object.fromEntries(Object.entries(fake.urls()).map(([k, v]) => [k, dead(v)]));
  let n = 0;
  return {
    config: { platform: 'tiktok', room: `@${HANDLE}`, urls: fake.urls(), signer: fake.signer() },
    unreachable: { platform: 'tiktok', room: `@${HANDLE}`, urls: deadUrls, signer: fake.signer({ url: dead(fake.baseUrl) }) },
    sendEvent: () => {
      n += 1;
      const id = `93000000000000001${String(n).padStart(2, '0')}`;
      const chat = {
        type: 'ChatMessage',
        msgId: id,
        fields: { common: common('WebcastChatMessage', id, ROOM_ID, T0), user: user(VIEWER), content: 'hi' },
      };
      fake.connections.at(-1)?.send(msgFrame({ messages: [chat], needAck: true, internalExt: `ie-${n}` }));
    },
    closeCodes: () => fake.connections.map((c) => c.closeCode),
    close: () => fake.close(),
  };
});
