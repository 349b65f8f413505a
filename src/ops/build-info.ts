/**
 * What this build is: the package version and the Node.js that runs it, for the
 * `live_bridge_build_info` series, the status endpoint and `--version`.
 */
import { readFileSync } from 'node:fs';
import { packagePath } from '../core/paths.js';

/** The package version and the runtime. */
export interface BuildInfo {
  version: string;
  /** `process.version` without the leading `v`, e.g. `20.20.2`. */
  node: string;
}

let cached: BuildInfo | undefined;

/** Reads package.json once. */
export function buildInfo(): BuildInfo {
  if (cached) return cached;
  const pkg = JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version: string };
  cached = { version: pkg.version, node: process.version.replace(/^v/, '') };
  return cached;
}
