/**
 * The shapes every benchmark module shares with the runner (bench/run.ts).
 */

/** One measured figure: a row of the printed table and of bench/results/latest.{json,md}. */
export interface BenchRow {
  /** What was measured, e.g. `pipeline throughput (realistic mix)`. */
  name: string;
  /** The measured figure, in `unit`. */
  value: number;
  /** `events/s`, `MB`, `ms`, ... */
  unit: string;
  /** The target, as prose a reader can check the value against, e.g. `≥ 200000`. */
  target?: string;
  /** Whether the value meets `target`; absent when the row has no target. */
  pass?: boolean;
  /** How it was measured (sizes, durations, what the sink was). */
  notes?: string;
}

/** What a benchmark module exports as its default: a name the filter matches and a run(). */
export interface BenchModule {
  name: string;
  run(): Promise<BenchRow[]>;
}

/** An entry of bench/index.ts: the module is imported only when its name passes the filter. */
export interface BenchEntry {
  name: string;
  load(): Promise<{ default: BenchModule }>;
}

/** The rows of one module from one run. */
export interface ModuleResult {
  name: string;
  ranAt: string;
  durationMs: number;
  rows: BenchRow[];
  /** Set when the module threw; its rows are then whatever it returned before (none). */
  error?: string;
}
