/**
 * `platform: simulate` as the registry lists it.
 */
import { definePlugin } from '../kit/plugin.js';
import { SIMULATE_NAMING, SimulateSourceSchema } from './config.js';

/** A seeded synthetic room. */
export const simulatePlugin = definePlugin({
  ...SIMULATE_NAMING,
  schema: SimulateSourceSchema,
  load: () => import('./index.js'),
});
