#!/usr/bin/env node
/**
 * Builds dist/ with tsc, and with --if-stale only when it is out of date, so a repeated
 * `npm run demo` starts at once instead of spending seconds in the compiler.
 *
 * dist/ is up to date when its stamp (dist/.build-stamp, written after every successful build)
 * is newer than every input: the files and folders under tsconfig.build.json's `include`, the
 * tsconfig files and package.json. A folder's own time changes when a file in it is added,
 * removed or renamed, so deletions count too. The stamp carries the time the build *started*,
 * so a file saved while tsc ran is seen as newer next time.
 *
 * Usage: node scripts/build.mjs [--if-stale] [--dry-run] [--root DIR]
 *   --if-stale  build only when an input is newer than the stamp (or dist/ is missing)
 *   --dry-run   print the decision ("up to date" / "stale: <why>") and build nothing
 *   --root DIR  the project to build (default: this script's project)
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, readdirSync, statSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The stamp's path under the output folder. */
export const STAMP = '.build-stamp';
/** Files that change the build besides the included folders. */
const CONFIG_FILES = ['tsconfig.json', 'tsconfig.build.json', 'package.json'];
/** The built entry point; its absence means dist/ was removed or never built. */
const ENTRY = 'dist/src/cli/main.js';

/** The newest modification time under `target` (a file or a folder, walked), with the path that has it. */
function newest(target) {
  let best = { ms: -Infinity, file: target };
  let st;
  try {
    st = statSync(target);
  } catch {
    return best;
  }
  best = { ms: st.mtimeMs, file: target };
  if (st.isDirectory()) {
    for (const entry of readdirSync(target)) {
      const inner = newest(path.join(target, entry));
      if (inner.ms > best.ms) best = inner;
    }
  }
  return best;
}

/** Why dist/ under `root` must be rebuilt, or null when it is up to date. */
export function staleReason(root) {
  const config = JSON.parse(readFileSync(path.join(root, 'tsconfig.build.json'), 'utf8'));
  const stamp = path.join(root, 'dist', STAMP);
  if (!existsSync(path.join(root, ENTRY))) return `${ENTRY} is missing`;
  if (!existsSync(stamp)) return `dist/${STAMP} is missing`;
  const built = statSync(stamp).mtimeMs;
  const inputs = [...(config.include ?? []), ...CONFIG_FILES].map((p) => path.join(root, p));
  for (const input of inputs) {
    const n = newest(input);
    if (n.ms > built) return `${path.relative(root, n.file)} is newer than dist/`;
  }
  return null;
}

/** Runs tsc on `root` and stamps dist/ with the start time; returns tsc's exit status. */
export function build(root) {
  const started = new Date();
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
  if (r.status !== 0) return r.status ?? 1;
  const stamp = path.join(root, 'dist', STAMP);
  closeSync(openSync(stamp, 'w'));
  utimesSync(stamp, started, started);
  return 0;
}

const isMain = process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const args = process.argv.slice(2);
  const rootAt = args.indexOf('--root');
  const root = rootAt >= 0 ? path.resolve(args[rootAt + 1] ?? '.') : path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const reason = args.includes('--if-stale') || args.includes('--dry-run') ? staleReason(root) : 'a build was asked for';
  if (args.includes('--dry-run')) {
    process.stdout.write(reason === null ? 'up to date\n' : `stale: ${reason}\n`);
  } else if (reason !== null) {
    if (args.includes('--if-stale')) process.stderr.write(`building dist/: ${reason}\n`);
    process.exitCode = build(root);
  }
}
