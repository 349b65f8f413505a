/**
 * The process registry of a daemon: Node's runtime series (once per process, however many
 * streams it runs), how many streams run or were refused, and the pacer's grants and waits per
 * upstream host group. Read at scrape time from snapshots, like the stream series.
 */
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { PacerGroupStatus } from './pacer.js';

/** What the process series are read from. */
export interface ProcessMetricsInputs {
  /** Labels on every process series (the stream, in single-stream mode, as before). */
  labels?: Record<string, string>;
  streams: () => { running: number; refused: number; failed: number };
  pacer: () => PacerGroupStatus[];
}

/** Creates the process registry. */
export function createProcessMetrics(inputs: ProcessMetricsInputs): Registry {
  const registry = new Registry();
  if (inputs.labels) registry.setDefaultLabels(inputs.labels);
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  new Gauge({
    name: 'live_bridge_streams',
    help: 'Streams of this process: running, refused (their file is invalid) and failed (valid, but could not start).',
    labelNames: ['state'],
    registers,
    collect(this: Gauge<string>) {
      const counts = inputs.streams();
      for (const state of ['running', 'refused', 'failed'] as const) this.set({ state }, counts[state]);
    },
  });
  const perGroup = (fill: (g: PacerGroupStatus, set: (labels: Record<string, string>, v: number) => void) => void) =>
    function (this: Counter<string> | Gauge<string>) {
      this.reset();
      for (const g of inputs.pacer())
        fill(g, (labels, v) =>
          this instanceof Counter ? this.inc({ group: g.group, ...labels }, v) : this.set({ group: g.group, ...labels }, v),
        );
    };
  new Counter({
    name: 'live_bridge_pacer_grants_total',
    help: 'Upstream connections and room lookups the pacer let through, by host group and call.',
    labelNames: ['group', 'call'],
    registers,
    collect: perGroup((g, set) => {
      set({ call: 'connect' }, g.granted.connect);
      set({ call: 'resolve' }, g.granted.resolve);
    }),
  });
  new Counter({
    name: 'live_bridge_pacer_delayed_total',
    help: 'Grants that were not immediate (queued behind others, or waiting for the host group window).',
    labelNames: ['group'],
    registers,
    collect: perGroup((g, set) => set({}, g.delayed)),
  });
  new Counter({
    name: 'live_bridge_pacer_wait_seconds_total',
    help: 'Seconds from asking the pacer to its grant, summed, by host group.',
    labelNames: ['group'],
    registers,
    collect: perGroup((g, set) => set({}, g.waitedMs / 1000)),
  });
  new Gauge({
    name: 'live_bridge_pacer_waiting',
    help: 'Connections and lookups waiting for the pacer now, by host group.',
    labelNames: ['group'],
    registers,
    collect: perGroup((g, set) => set({}, g.waiting)),
  });
  return registry;
}
