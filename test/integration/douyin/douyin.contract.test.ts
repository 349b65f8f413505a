import { douyinPlugin } from '../../../adapters/douyin/plugin.js';
import { common, msgFrame, user } from '../../helpers/douyin/frames.js';
import { FakeDouyin } from '../../helpers/douyin/fake-douyin.js';
import { ROOM_ID, T0, VIEWER, WEB_RID } from '../../helpers/douyin/scenario.js';
import { closedPort, sourceContract } from '../../helpers/source-contract.js';

const BROADCAST = { roomId: ROOM_ID, status: 2, title: 'contract', anchorName: '主播', userUniqueId: '7400000000000000077' };

sourceContract(douyinPlugin, async () => {
  const fake = await FakeDouyin.start({ webRid: WEB_RID, broadcast: BROADCAST });
  const port = await closedPort();
  const dead = Object.fromEntries(
    Object.entries(fake.urls()).map(([k, v]) => [k, typeof v === 'string' ? v.replace(/:\d+\//, `:${port}/`) : v]),
  );
  let n = 0;
  return {
    config: { platform: 'douyin', room: WEB_RID, urls: fake.urls(), gift_list_refresh_ms: -1 },
    unreachable: { platform: 'douyin', room: WEB_RID, urls: dead, gift_list_refresh_ms: -1 },
    sendEvent: () => {
      n += 1;
      const id = `76538870156074549${String(n).padStart(2, '0')}`;
      const chat = {
        type: 'ChatMessage',
        msgId: id,
        fields: { common: common('WebcastChatMessage', id, ROOM_ID, T0), user: user(VIEWER), content: 'hi' },
      };
      fake.connections.at(-1)?.send(msgFrame({ messages: [chat] }));
    },
    closeCodes: () => fake.connections.map((c) => c.closeCode),
    close: () => fake.close(),
  };
});
