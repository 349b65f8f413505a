/**
 * Loads the stream configs of a multi-stream process: every file on its own (a bad file is
 * refused with its own problems and never stops the others), then the checks between files:
 * two files naming the same stream, or sharing a state_dir (two reporters on one spool), refuse
 * the later file.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { BridgeError, ConfigError } from '../core/errors.js';
import { loadConfig, type LoadedConfig } from '../config/load.js';
import type { PluginRegistry } from '../../adapters/registry.js';

/** A config file that will not run, and why (each problem a line naming the file). */
export interface RefusedFile {
  file: string;
  problems: string[];
}

/** What loading a set of files found. */
export interface LoadedStreams {
  /** Valid streams, in file order. */
  streams: LoadedConfig[];
  refused: RefusedFile[];
}

/** Where the files come from: the command line's files, and every *.yaml / *.yml of a directory. */
export interface StreamFiles {
  files: readonly string[];
  dir?: string | undefined;
}

/** Names skipped in a config directory: hidden and editor files, and the repository's own non-stream configs. */
const SKIP = [/^\./, /^example\./, /^emulator/, /^demo\.ya?ml$/, /~$/];

/** The files to load, absolute, sorted within the directory, each once. */
export async function listStreamFiles(source: StreamFiles): Promise<string[]> {
  const out = source.files.map((f) => path.resolve(f));
  if (source.dir !== undefined) {
    let names: string[];
    try {
      names = await readdir(source.dir);
    } catch (err) {
      throw new ConfigError([`${source.dir}: cannot read the config directory (${(err as NodeJS.ErrnoException).code ?? String(err)})`]);
    }
    for (const name of names.filter((n) => /\.ya?ml$/.test(n) && !SKIP.some((re) => re.test(n))).sort())
      out.push(path.resolve(source.dir, name));
  }
  return [...new Set(out)];
}

function problemsOf(file: string, err: unknown): string[] {
  if (err instanceof ConfigError) return [...err.problems];
  if (err instanceof BridgeError) return [`${file}: ${err.message}`];
  throw err;
}

/**
 * Loads every file. `stateRoot` (LIVE_BRIDGE_STATE_DIR in a multi-stream process) puts each
 * stream's state in `<stateRoot>/<stream>` whatever its file says.
 */
export async function loadStreams(
  files: readonly string[],
  options: { env: NodeJS.ProcessEnv; registry?: PluginRegistry | undefined; stateRoot?: string | undefined },
): Promise<LoadedStreams> {
  const streams: LoadedConfig[] = [];
  const refused: RefusedFile[] = [];
  const byName = new Map<string, string>();
  const byStateDir = new Map<string, string>();
  for (const file of files) {
    let loaded: LoadedConfig;
    try {
      loaded = await loadConfig(file, options.env, options.registry);
    } catch (err) {
      refused.push({ file, problems: problemsOf(file, err) });
      continue;
    }
    const config = { ...loaded.config };
    config.state_dir = path.resolve(options.stateRoot !== undefined ? path.join(options.stateRoot, config.stream) : config.state_dir);
    const sameName = byName.get(config.stream);
    if (sameName !== undefined) {
      refused.push({ file, problems: [`${file}: stream "${config.stream}" is already ${sameName}'s; give each stream its own name`] });
      continue;
    }
    const sameState = byStateDir.get(config.state_dir);
    if (sameState !== undefined) {
      refused.push({
        file,
        problems: [
          `${file}: state_dir ${config.state_dir} is also ${sameState}'s; two streams must not share a spool (give each its own state_dir, or set LIVE_BRIDGE_STATE_DIR to a root)`,
        ],
      });
      continue;
    }
    byName.set(config.stream, file);
    byStateDir.set(config.state_dir, file);
    streams.push({ ...loaded, config });
  }
  return { streams, refused };
}
