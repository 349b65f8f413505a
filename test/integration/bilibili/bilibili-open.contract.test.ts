import { bilibiliOpenPlugin } from '../../../adapters/bilibili/plugin.js';
import { APP_ID, FakeOpenPlatform, OPEN_CODE, OPEN_KEY } from '../../helpers/bilibili/fake-open.js';
import { command, zlibBatch } from '../../helpers/bilibili/frames.js';
import { closedPort, sourceContract } from '../../helpers/source-contract.js';

const section = (apiBase: string) => ({
  platform: 'bilibili-open',
  code: OPEN_CODE,
  app_id: APP_ID,
  access_key_id: OPEN_KEY.id,
  access_key_secret: OPEN_KEY.secret,
  urls: { api_base: apiBase },
});

sourceContract(bilibiliOpenPlugin, async () => {
  const fake = new FakeOpenPlatform();
  await fake.listen();
  let n = 0;
  return {
    config: section(fake.base),
    unreachable: section(`http://127.0.0.1:${await closedPort()}`),
    sendEvent: () => {
      n += 1;
      fake.connections
        .at(-1)
        ?.send(zlibBatch([command('LIVE_OPEN_PLATFORM_DM', { open_id: 'o', uname: 'u', msg: 'hi', msg_id: `m${n}`, timestamp: 1 })]));
    },
    closeCodes: () => fake.connections.map((c) => c.closeCode),
    close: () => fake.close(),
  };
});
