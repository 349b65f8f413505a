/**
 * `platform: simulate` as the registry lists it.
 */
import { definePlugin } from '../kit/plugin.js';
import { SimulateSourceSchema } from './config.js';

/** A seeded synthetic room. */
export const simulatePlugin = definePlugin({
  platform: 'simulate',
  schema: SimulateSourceSchema,
  room: (config) => config.room,
  load: () => import('./index.js'),
});
