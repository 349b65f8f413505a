/**
 * A pipeline on a manual clock that collects what it emits.
 */
import { FiltersSchema, PipelineSchema } from '../../../src/config/sections/pipeline.js';
import type { BridgeEvent } from '../../../src/core/events.js';
import { EventStats } from '../../../src/core/stats.js';
import { createPipeline, type Pipeline } from '../../../src/pipeline/index.js';
import { ManualClock } from '../clock.js';
import { silentLogger } from '../logger.js';

export function pipelineHarness(
  pipeline: Record<string, unknown> = {},
  filters: Record<string, unknown> = {},
): {
  clock: ManualClock;
  stats: EventStats;
  out: BridgeEvent[];
  pipeline: Pipeline;
} {
  const clock = new ManualClock();
  const stats = new EventStats();
  const out: BridgeEvent[] = [];
  const p = createPipeline(
    { pipeline: PipelineSchema.parse(pipeline), filters: FiltersSchema.parse(filters) },
    { clock, logger: silentLogger(), stats, emit: (e) => out.push(e) },
  );
  return { clock, stats, out, pipeline: p };
}
