/**
 * The Source conformance suite for `platform: youtube`, against the fake YouTube. The source
 * makes its own first event (the viewer count read with the first chat page), so the suite
 * needs no push from the test; its chat events are covered by source.test.ts, where the test
 * drives the clock the poll waits on.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { youtubePlugin } from '../../../adapters/youtube/plugin.js';
import { closedPort, sourceContract } from '../../helpers/source-contract.js';
import { API_KEY, FakeYouTube } from '../../helpers/youtube/fake-youtube.js';

const CH = 'UCstreamer00000000000001';

sourceContract(youtubePlugin, async () => {
  const fake = new FakeYouTube();
  await fake.listen();
  fake.addChannel(CH, 'StreamerOne');
  fake.startBroadcast(CH, { videoId: 'liveVideo01', viewers: 12, pollingIntervalMillis: 1_000 });
  const port = await closedPort();
  const stateDir = await mkdtemp(path.join(tmpdir(), 'yt-contract-'));
  const section = { platform: 'youtube', room: '@StreamerOne', api_key: API_KEY, viewers_interval_ms: 30_000 };
  return {
    config: { ...section, urls: { api_base: fake.apiBase, web_base: fake.base } },
    unreachable: { ...section, urls: { api_base: `http://127.0.0.1:${port}/youtube/v3`, web_base: `http://127.0.0.1:${port}` } },
    deps: { stateDir },
    close: async () => {
      await fake.close();
      await rm(stateDir, { recursive: true, force: true });
    },
  };
});
