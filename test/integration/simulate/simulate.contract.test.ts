import { simulatePlugin } from '../../../adapters/simulate/plugin.js';
import { sourceContract } from '../../helpers/source-contract.js';

sourceContract(
  simulatePlugin,
  async () => ({ config: { platform: 'simulate', room: 'contract', rate_per_second: 50, seed: 5 }, close: async () => undefined }),
  { upstream: false },
);
