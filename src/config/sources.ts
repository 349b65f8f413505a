/**
 * The `sources[]` union, read from the plugin registry (adapters/registry.ts): one strict schema
 * per platform, discriminated on `platform`. Each schema lives beside its adapter and holds zod
 * only, so loading the config never loads an adapter.
 */
import type { z } from 'zod';
import { registry, type BuiltinSourceConfig } from '../../adapters/registry.js';

/** One `sources[]` entry, validated by the schema its `platform` names. */
export const SourceSchema = registry.sourceSchema() as z.ZodType<BuiltinSourceConfig>;
/** A parsed `sources[]` entry of any built-in platform. */
export type SourceConfig = BuiltinSourceConfig;
