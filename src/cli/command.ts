/**
 * The shape of one `live-bridge` sub-command. Commands are loaded lazily by name so that
 * `live-bridge check` never pays for a browser, a protobuf schema or an HTTP server.
 */
import type { ParseArgsConfig } from 'node:util';
import type { Notices } from './notices.js';
import type { PluginRegistry } from '../../adapters/registry.js';

/** Parsed arguments handed to a command. */
export interface CommandArgs {
  values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  positionals: string[];
}

/** Where a command writes; injected so tests capture it. */
export interface CommandIO {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  /** Aborts when the process is asked to stop (first SIGINT/SIGTERM). */
  signal: AbortSignal;
  /** The process's own stderr lines (plain, or JSON under a supervisor); plain stderr writes when absent. */
  notices?: Notices;
  /** The platforms configs may name: the built-ins unless a test (or an embedder) registers more. */
  registry?: PluginRegistry;
  /** Reload requests (SIGHUP): `on` adds a listener and returns its removal; absent, nothing reloads. */
  reloads?: { on(listener: () => void): () => void };
}

/** One sub-command; its one-line summary lives in the command table (commands/index.ts). */
export interface Command {
  /** The usage line after `live-bridge `, e.g. `run <config>`. */
  usage: string;
  /** Longer help: what it does, each option. */
  help: string;
  options: NonNullable<ParseArgsConfig['options']>;
  /** How many positionals the command takes. */
  positionals: { min: number; max: number };
  /** Runs the command and resolves to the process exit code. */
  run(args: CommandArgs, io: CommandIO): Promise<number>;
}
