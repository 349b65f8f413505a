/**
 * The `sources[]` union: one strict schema per platform, discriminated on `platform`.
 * Each schema lives beside its adapter (adapters/<platform>/config.ts) and holds zod only,
 * so loading the config never loads an adapter.
 */
import { z } from 'zod';
import { SimulateSourceSchema } from '../../adapters/simulate/config.js';
import { DouyinSourceSchema } from '../../adapters/douyin/config.js';
import { ReplaySourceSchema } from '../../adapters/replay/config.js';
import { DouyinBrowserSourceSchema } from '../../adapters/douyin-browser/config.js';
import { BilibiliOpenSourceSchema, BilibiliSourceSchema } from '../../adapters/bilibili/config.js';

/** One `sources[]` entry, validated by the schema its `platform` names. */
export const SourceSchema = z.discriminatedUnion('platform', [
  SimulateSourceSchema,
  DouyinSourceSchema,
  ReplaySourceSchema,
  DouyinBrowserSourceSchema,
  BilibiliSourceSchema,
  BilibiliOpenSourceSchema,
]);
/** A parsed `sources[]` entry of any platform. */
export type SourceConfig = z.infer<typeof SourceSchema>;
