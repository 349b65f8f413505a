/**
 * What the one ops server of a process answers for all its streams. With one stream given on
 * the command line (`run a.yaml`) every answer keeps the single-stream shape operators and
 * `live-bridge top` already read. With several (`run a.yaml b.yaml`, `--config-dir`):
 * - /readyz: ready when every running stream is ready; each stream's verdict under `streams`,
 *   reasons prefixed with the stream; files refused at start or reload listed under `refused`
 *   (a refused file does not fail the probe: a rolling deploy with one bad file must not keep the
 *   whole pod out of service; the metric `live_bridge_streams{state="refused"}` says so);
 * - /status: `{ streams: [one status document per stream] }`;
 * - /metrics: the process's series once, then every stream's series with its `stream` label.
 */
import { AggregatorRegistry, type Registry } from 'prom-client';
import type { ReadinessAnswer } from '../ops/http.js';
import type { StatusSnapshot } from '../ops/snapshot.js';
import type { RunningStream } from './stream.js';
import type { RefusedFile } from './load.js';

/** How the process was started: one file keeps the single-stream answers. */
export type OpsMode = 'single' | 'fleet';

/** What the views read. */
export interface FleetOpsInputs {
  mode: OpsMode;
  streams: () => RunningStream[];
  /** Files refused at the last load (start or reload). */
  refused: () => RefusedFile[];
  /** The process registry: runtime metrics and process-wide series. */
  process: Registry;
  /** Single mode, before the stream runs: its status document. */
  starting?: () => StatusSnapshot;
}

/** A registry-like view /metrics serves (contentType and text). */
export interface MetricsText {
  readonly contentType: Registry['contentType'];
  metrics(): Promise<string>;
}

/** The three answers the ops server needs. */
export interface FleetOps {
  readiness(): ReadinessAnswer;
  status(): unknown;
  metrics: MetricsText;
  health(): Record<string, unknown>;
}

/** Builds the ops answers over the fleet's streams. */
export function fleetOps(inputs: FleetOpsInputs): FleetOps {
  const metrics: MetricsText = {
    contentType: inputs.process.contentType,
    async metrics() {
      const streams = inputs.streams();
      const own = await inputs.process.metrics();
      if (streams.length === 0) return own;
      // Every stream registers the same series; merged by name, told apart by their `stream` label.
      const merged = AggregatorRegistry.aggregate(await Promise.all(streams.map((s) => s.metrics.getMetricsAsJSON())));
      return `${own.trimEnd()}\n\n${await merged.metrics()}`;
    },
  };

  if (inputs.mode === 'single') {
    return {
      readiness: () => {
        const stream = inputs.streams()[0];
        return stream ? stream.readiness() : { ready: false, reasons: ['starting'], detail: {} };
      },
      status: () => inputs.streams()[0]?.snapshot() ?? inputs.starting?.(),
      metrics,
      health: () => ({}),
    };
  }

  return {
    readiness: () => {
      const streams = inputs.streams();
      const verdicts = streams.map((s) => ({ stream: s.name, ...s.readiness() }));
      const reasons = verdicts.flatMap((v) => v.reasons.map((r) => `stream ${v.stream}: ${r}`));
      if (streams.length === 0) reasons.push('no stream is running');
      return {
        ready: reasons.length === 0,
        reasons,
        detail: {
          streams: verdicts.map((v) => ({ stream: v.stream, ready: v.ready, reasons: v.reasons, ...v.detail })),
          refused: inputs.refused(),
        },
      };
    },
    status: () => ({ streams: inputs.streams().map((s) => s.snapshot()), refused: inputs.refused() }),
    metrics,
    health: () => ({ streams: inputs.streams().length }),
  };
}
