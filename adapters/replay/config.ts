/**
 * `platform: replay` — plays a capture made by `live-bridge record` through the decoder of the
 * platform each line names.
 */
import { z } from 'zod';
import { basename } from 'node:path';
import { SourceBaseShape } from '../../src/config/sections/source-base.js';
import type { SourceNaming } from '../kit/plugin.js';

/** `platform: replay`: a recorded capture file, played at a chosen speed. */
export const ReplaySourceSchema = z.strictObject({
  ...SourceBaseShape,
  platform: z.literal('replay'),
  /** A JSON-lines capture: one `{"t": ms offset, "platform": "douyin", "b64": frame}` per line. */
  file: z.string().min(1),
  /** 1 = real time, 2 = twice as fast, 0 = as fast as possible. */
  speed: z.number().nonnegative().max(1000).default(1),
  /** Start over at the end of the file. */
  loop: z.boolean().default(false),
  /** Gift id → display name, as for a douyin source (passed to the decoder with `options`). */
  gift_names: z.record(z.string().regex(/^\d+$/, 'a numeric gift id'), z.string()).default({}),
  /** The recorded platform's decoder options (e.g. `value_multiplier` for bilibili); unknown keys are ignored. */
  options: z.record(z.string(), z.unknown()).default({}),
});
/** A parsed `platform: replay` source, defaults applied. */
export type ReplaySourceConfig = z.infer<typeof ReplaySourceSchema>;

/** The platform and the room its sources are named after: the capture's file name. */
export const REPLAY_NAMING: SourceNaming<ReplaySourceConfig> = { platform: 'replay', room: (config) => basename(config.file) };
