/**
 * Where benchmark results are kept: bench/results/latest.{json,md} (merged per module, so a
 * filtered run refreshes only its own rows) and a dated copy of each run.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderMarkdown } from './table.js';
import type { ModuleResult } from './types.js';

/** The JSON kept in bench/results/. */
export interface ResultsFile {
  environment: string;
  modules: ModuleResult[];
}

/** The repository root: the nearest folder above this module with a package.json (works from bench/ and dist/bench/). */
export function repoRoot(from: string = path.dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${from}`);
    dir = parent;
  }
  return dir;
}

/** One line describing the machine, for the results heading. */
export function describeEnvironment(at: Date): string {
  const cpu = os.cpus()[0]?.model.trim() ?? 'unknown cpu';
  return `${at.toISOString()} on node ${process.version}, ${os.platform()}/${os.arch()}, ${os.cpus().length} × ${cpu}`;
}

async function readPrevious(file: string): Promise<ModuleResult[]> {
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as Partial<ResultsFile>;
    return Array.isArray(parsed.modules) ? parsed.modules : [];
  } catch {
    return [];
  }
}

/**
 * Writes this run's results: a dated JSON + markdown pair, and latest.{json,md} where the modules
 * of this run replace their previous rows and the others keep theirs.
 */
export async function saveResults(
  results: readonly ModuleResult[],
  at: Date,
  dir = path.join(repoRoot(), 'bench', 'results'),
): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const environment = describeEnvironment(at);
  const stamp = at
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replaceAll(':', '-');
  const ran = new Set(results.map((r) => r.name));
  const previous = (await readPrevious(path.join(dir, 'latest.json'))).filter((m) => !ran.has(m.name));
  const latest = [...previous, ...results].sort((a, b) => a.name.localeCompare(b.name));
  const files: [string, string][] = [
    [`${stamp}.json`, JSON.stringify({ environment, modules: [...results] } satisfies ResultsFile, null, 2) + '\n'],
    [`${stamp}.md`, renderMarkdown(results, environment)],
    ['latest.json', JSON.stringify({ environment, modules: latest } satisfies ResultsFile, null, 2) + '\n'],
    ['latest.md', renderMarkdown(latest, `per module at its ranAt time; this file last written ${environment}`)],
  ];
  for (const [name, text] of files) await writeFile(path.join(dir, name), text);
  return files.map(([name]) => path.join(dir, name));
}
