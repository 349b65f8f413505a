/**
 * `platform: simulate` — a synthetic room that goes through the same Source contract.
 */
import { z } from 'zod';
import { SourceBaseShape } from '../../src/config/sections/source-base.js';
import type { SourceNaming } from '../kit/plugin.js';

/** `platform: simulate`: a seeded synthetic room, for demos, benchmarks and tests without a platform. */
export const SimulateSourceSchema = z.strictObject({
  ...SourceBaseShape,
  platform: z.literal('simulate'),
  room: z.string().min(1).default('sim-room'),
  /** Messages per second the room produces (before streak and burst multipliers). */
  rate_per_second: z.number().positive().max(100_000).default(20),
  /** Seed for reproducible rooms; the same seed gives the same event sequence. */
  seed: z.number().int().default(1),
  /** Stop producing after this many ms (0 = forever). */
  duration_ms: z.number().int().nonnegative().default(0),
  /** Probability that a message is sent twice (as platforms do across reconnects). */
  duplicate_ratio: z.number().min(0).max(1).default(0.02),
});
/** A parsed `platform: simulate` source, defaults applied. */
export type SimulateSourceConfig = z.infer<typeof SimulateSourceSchema>;

/** The platform and the room its sources are named after. */
export const SIMULATE_NAMING: SourceNaming<SimulateSourceConfig> = { platform: 'simulate', room: (config) => config.room };
