/**
 * The `sources[]` union: one strict schema per platform, discriminated on `platform`.
 * Each schema lives beside its adapter (adapters/<platform>/config.ts) and holds zod only,
 * so loading the config never loads an adapter.
 */
import { z } from 'zod';
import { SimulateSourceSchema } from '../../adapters/simulate/config.js';

export const SourceSchema = z.discriminatedUnion('platform', [SimulateSourceSchema]);
export type SourceConfig = z.infer<typeof SourceSchema>;
