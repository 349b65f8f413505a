/**
 * Shared pieces of the pipeline and reporter benchmarks: config sections parsed by the real
 * schemas, a silent logger, an in-process sink that serialises the real request body, and stats.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import winston from 'winston';
import { FiltersSchema, PipelineSchema } from '../../src/config/sections/pipeline.js';
import { ReporterSchema } from '../../src/config/sections/reporter.js';
import type { Logger } from '../../src/core/logger.js';
import type { SendResult, Sink } from '../../src/core/sink.js';
import { wireEncoder, type WireEvent } from '../../src/metastudio/wire.js';
import { reportBody } from '../../src/metastudio/client.js';

/** A logger that drops everything, so logging cost stays out of the figures. */
export const silentLogger = (): Logger => winston.createLogger({ silent: true });

/** The pipeline and filters sections as the real schemas parse them, defaults filled in. */
export const pipelineSections = (pipeline: Record<string, unknown> = {}, filters: Record<string, unknown> = {}) => ({
  pipeline: PipelineSchema.parse(pipeline),
  filters: FiltersSchema.parse(filters),
});

/** The reporter section as the real schema parses it, with a fresh temporary state_dir. */
export const reporterSection = (overrides: Record<string, unknown> = {}) => ({
  ...ReporterSchema.parse(overrides),
  state_dir: mkdtempSync(path.join(os.tmpdir(), 'bench-reporter-')),
});

/** A sink that does the CPU work of a real send (serialising the body) and answers `answer`. */
export class SerialisingSink implements Sink<WireEvent> {
  readonly name = 'bench';
  readonly encoder = wireEncoder;
  requests = 0;
  events = 0;
  bytes = 0;
  readonly #answer: SendResult;
  constructor(answer: SendResult = { kind: 'sent' }) {
    this.#answer = answer;
  }
  async send(events: readonly WireEvent[]): Promise<SendResult> {
    this.requests += 1;
    this.events += events.length;
    this.bytes += Buffer.byteLength(reportBody(events));
    return this.#answer;
  }
  async reauthenticate(): Promise<void> {}
  async start(): Promise<void> {}
  status() {
    return { state: 'ready' } as const;
  }
  async close(): Promise<void> {}
}

/** Lets every queued microtask and one round of I/O callbacks run. */
export const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Value at quantile q (0..1) of an unsorted sample. */
export function quantile(sample: readonly number[], q: number): number {
  if (sample.length === 0) return NaN;
  const sorted = [...sample].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}
