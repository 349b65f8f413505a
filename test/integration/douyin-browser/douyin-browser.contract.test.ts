import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { douyinBrowserPlugin } from '../../../adapters/douyin-browser/plugin.js';
import { testChromium } from '../../helpers/douyin-browser/chromium.js';
import { FakeRoom } from '../../helpers/douyin-browser/fake-room.js';
import { common, msgFrame, user } from '../../helpers/douyin/frames.js';
import { ROOM_ID, T0, VIEWER, WEB_RID } from '../../helpers/douyin/scenario.js';
import { sourceContract } from '../../helpers/source-contract.js';

const chromium = testChromium();

sourceContract(
  douyinBrowserPlugin,
  async () => {
    const fake = await new FakeRoom().listen();
    const dir = mkdtempSync(path.join(tmpdir(), 'dyb-contract-'));
    const base = {
      platform: 'douyin-browser',
      room: WEB_RID,
      profile_dir: path.join(dir, 'profile'),
      urls: { room_page: fake.roomUrlTemplate },
    };
    let n = 0;
    return {
      config: { ...base, executable_path: chromium },
      unreachable: { ...base, executable_path: '/nonexistent/chromium' },
      liveTimeoutMs: 20_000,
      sendEvent: () => {
        n += 1;
        const id = `76538870156074599${String(n).padStart(2, '0')}`;
        fake.push(
          msgFrame({
            messages: [
              {
                type: 'ChatMessage',
                msgId: id,
                fields: { common: common('WebcastChatMessage', id, ROOM_ID, T0), user: user(VIEWER), content: 'hi' },
              },
            ],
          }),
        );
      },
      close: async () => {
        await fake.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
  { skip: !chromium },
);
