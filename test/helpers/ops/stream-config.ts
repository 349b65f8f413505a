/**
 * A small stream config for ops tests: a simulated room into the dry-run sink (nothing is sent
 * anywhere), JSON logs, written to a temp dir that `cleanup` removes.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** What the config varies. */
export interface DryRunConfigOptions {
  stream: string;
  /** `http.listen`; 127.0.0.1:0 by default. */
  listen?: string;
  ratePerSecond?: number;
  /** More lines inside `log:` (two spaces indented). */
  logLines?: string[];
}

/** Writes the config; returns its path and the remover of its directory. */
export function dryRunConfig(options: DryRunConfigOptions): { file: string; dir: string; cleanup(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'live-bridge-ops-'));
  const file = path.join(dir, `${options.stream}.yaml`);
  writeFileSync(
    file,
    [
      `stream: ${options.stream}`,
      'sources:',
      '  - platform: simulate',
      '    name: sim',
      '    room: r',
      `    rate_per_second: ${options.ratePerSecond ?? 30}`,
      '    seed: 3',
      'metastudio:',
      '  endpoint: http://127.0.0.1:9',
      '  project_id: p',
      '  room_id: r',
      '  job_id: j',
      '  dry_run: true',
      'http:',
      `  listen: ${options.listen ?? '127.0.0.1:0'}`,
      'log:',
      '  format: json',
      ...(options.logLines ?? []).map((l) => `  ${l}`),
      `state_dir: ${path.join(dir, 'state')}`,
      '',
    ].join('\n'),
  );
  return { file, dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
