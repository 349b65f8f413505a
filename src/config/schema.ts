/**
 * The whole per-stream config file: one strict zod schema; unknown keys are errors.
 * Types are inferred from it; there is no hand-written duplicate.
 */
import { z } from 'zod';
import { MetastudioSchema } from './sections/metastudio.js';
import { HttpSchema, LogSchema } from './sections/ops.js';
import { PacingSchema } from './sections/pacing.js';
import { ReporterSchema } from './sections/reporter.js';
import { FiltersSchema, PipelineSchema } from './sections/pipeline.js';
import type { SourceConfigBase } from '../../adapters/kit/plugin.js';
import { registry as builtins, type PluginRegistry } from '../../adapters/registry.js';
import { SourceSchema } from './sources.js';

/** The config file's root for a given `sources[]` entry schema. */
const configSchema = <S extends z.ZodType>(source: S, registry: PluginRegistry) =>
  z.strictObject({
    /** Names logs, metrics and the pm2 app. */
    stream: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'lower-case letters, digits, _ and - (at most 63), starting with a letter or digit'),
    sources: z
      .array(source)
      .min(1, 'expected at least one source')
      .superRefine((sources, ctx) => {
        for (const message of registry.streamProblems(sources as SourceConfigBase[])) ctx.addIssue({ code: 'custom', message });
      }),
    metastudio: MetastudioSchema,
    reporter: ReporterSchema.prefault({}),
    pipeline: PipelineSchema.prefault({}),
    filters: FiltersSchema.prefault({}),
    http: HttpSchema.prefault({}),
    log: LogSchema.prefault({}),
    /** Process-wide: how fast upstream connections open (with many files, the first file's section). */
    pacing: PacingSchema.prefault({}),
    /** Where the spool and other state live (systemd: $STATE_DIRECTORY). */
    state_dir: z.string().min(1).default('./state'),
  });

/** The config file's root: one stream, its sources and every section, strict at every level. */
export const ConfigSchema = configSchema(SourceSchema, builtins);

/** The root schema for another set of platforms (a test's own plugin); the built-ins give ConfigSchema. */
export function configSchemaFor(registry: PluginRegistry): typeof ConfigSchema {
  return registry === builtins ? ConfigSchema : (configSchema(registry.sourceSchema(), registry) as unknown as typeof ConfigSchema);
}

/** A validated, defaulted config. */
export type Config = z.infer<typeof ConfigSchema>;
