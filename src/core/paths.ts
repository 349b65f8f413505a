/**
 * Files shipped with the package (config/, proto/, package.json), found from a module's own
 * location so that the TypeScript sources (tests) and the compiled dist/ both find them.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/** The package's root directory: the nearest ancestor holding package.json. */
export function packageRoot(): string {
  if (cached) return cached;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('package.json not found above the bridge modules');
    dir = parent;
  }
  cached = dir;
  return dir;
}

/** A path inside the package root. */
export function packagePath(...parts: string[]): string {
  return path.join(packageRoot(), ...parts);
}
