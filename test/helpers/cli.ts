/**
 * Runs the CLI in-process with captured output, for command-line tests.
 */
import { PassThrough } from 'node:stream';
import type { PluginRegistry } from '../../adapters/registry.js';
import { runCli } from '../../src/cli/run-cli.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `live-bridge <argv>` in this process; `signal` stops long-running commands; `registry` adds platforms. */
export async function cli(
  argv: string[],
  options: { env?: NodeJS.ProcessEnv; signal?: AbortSignal; registry?: PluginRegistry } = {},
): Promise<CliResult> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
  stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
  const code = await runCli(argv, {
    stdout,
    stderr,
    env: options.env ?? {},
    signal: options.signal ?? new AbortController().signal,
    registry: options.registry,
  });
  await new Promise<void>((r) => setImmediate(r));
  return { code, stdout: out, stderr: err };
}
