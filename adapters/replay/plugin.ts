/**
 * `platform: replay` as the registry lists it: the room is the capture's file name.
 */
import { access } from 'node:fs/promises';
import { definePlugin } from '../kit/plugin.js';
import { REPLAY_NAMING, ReplaySourceSchema } from './config.js';

/** A capture made by `live-bridge record`, played back through the recorded platform's decoder. */
export const replayPlugin = definePlugin({
  ...REPLAY_NAMING,
  schema: ReplaySourceSchema,
  async check(config) {
    try {
      await access(config.file);
      return [];
    } catch {
      return [`capture ${config.file} cannot be read (it would play nothing)`];
    }
  },
  load: () => import('./index.js'),
});
