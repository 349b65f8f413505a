import { bilibiliPlugin } from '../../../adapters/bilibili/plugin.js';
import { FakeBilibili } from '../../helpers/bilibili/fake-bilibili.js';
import { cmdPacket, danmuMsg } from '../../helpers/bilibili/frames.js';
import { closedPort, sourceContract } from '../../helpers/source-contract.js';

const ROOM = { shortId: '6', roomId: '7734200', uid: '50329118', liveStatus: 1, title: 'contract' };

sourceContract(bilibiliPlugin, async () => {
  const fake = new FakeBilibili({ room: ROOM });
  await fake.listen();
  const port = await closedPort();
  const dead = Object.fromEntries(Object.entries(fake.urls()).map(([k, v]) => [k, v.replace(`:${fake.port}/`, `:${port}/`)]));
  let n = 0;
  return {
    config: { platform: 'bilibili', room: ROOM.shortId, urls: fake.urls() },
    unreachable: { platform: 'bilibili', room: ROOM.shortId, urls: dead },
    sendEvent: () => {
      n += 1;
      fake.connections.at(-1)?.send(cmdPacket(danmuMsg({ uid: '5', uname: 'c', text: 'hi', tsMs: 1_764_000_000_000 + n, idStr: `c${n}` })));
    },
    closeCodes: () => fake.connections.map((c) => c.closeCode),
    close: () => fake.close(),
  };
});
