import { fileURLToPath } from 'node:url';
import { replayPlugin } from '../../../adapters/replay/plugin.js';
import { sourceContract } from '../../helpers/source-contract.js';

const FIXTURE = fileURLToPath(new URL('../../fixtures/douyin/capture.jsonl', import.meta.url));

// At speed 1 on the manual clock the replay plays the frames at t=0 and waits for the rest.
sourceContract(replayPlugin, async () => ({
  config: { platform: 'replay', file: FIXTURE, speed: 1 },
  unreachable: { platform: 'replay', file: '/nonexistent/capture.jsonl' },
  close: async () => undefined,
}));
