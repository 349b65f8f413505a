/**
 * scripts/build.mjs: `npm run demo` builds only when a source is newer than dist/, so a second
 * run starts without the compiler. A tiny TypeScript project in a temp dir, compiled by the
 * real tsc (the repository's node_modules, linked).
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, expect, test } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const SCRIPT = path.join(ROOT, 'scripts/build.mjs');
const run = promisify(execFile);

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function project(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'live-bridge-build-'));
  dirs.push(dir);
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  writeFileSync(
    path.join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { module: 'NodeNext', target: 'ES2023', outDir: 'dist', rootDir: '.', types: [] },
      include: ['src'],
    }),
  );
  writeFileSync(path.join(dir, 'tsconfig.build.json'), JSON.stringify({ extends: './tsconfig.json', include: ['src'] }));
  writeFileSync(path.join(dir, 'package.json'), '{"type":"module"}\n');
  mkdirSync(path.join(dir, 'src/cli'), { recursive: true });
  writeFileSync(path.join(dir, 'src/cli/main.ts'), 'export const answer: number = 42;\n');
  writeFileSync(path.join(dir, 'src/cli/extra.ts'), 'export const extra = 1;\n');
  return dir;
}

/** Runs the script as `npm run demo` does; returns what it printed on stderr. */
async function ifStale(dir: string): Promise<string> {
  const { stderr } = await run(process.execPath, [SCRIPT, '--if-stale', '--root', dir]);
  return stderr;
}

const builtAt = (dir: string) => statSync(path.join(dir, 'dist/src/cli/main.js')).mtimeMs;
/** An edit after the build: the file's time is now, later than the build's start. */
const touch = (file: string) => {
  const t = new Date();
  utimesSync(file, t, t);
};

test('npm run demo builds once; a second run does not rebuild; an edited, added or removed source does', async () => {
  const dir = project();
  expect(await ifStale(dir)).toBe('building dist/: dist/src/cli/main.js is missing\n');
  expect(readFileSync(path.join(dir, 'dist/src/cli/main.js'), 'utf8')).toContain('answer = 42');
  const first = builtAt(dir);

  // The repeat run: nothing newer than the stamp, so no compiler.
  expect(await ifStale(dir)).toBe('');
  expect(builtAt(dir)).toBe(first);
  expect((await run(process.execPath, [SCRIPT, '--dry-run', '--root', dir])).stdout).toBe('up to date\n');

  touch(path.join(dir, 'src/cli/main.ts'));
  expect((await run(process.execPath, [SCRIPT, '--dry-run', '--root', dir])).stdout).toBe('stale: src/cli/main.ts is newer than dist/\n');
  expect(await ifStale(dir)).toBe('building dist/: src/cli/main.ts is newer than dist/\n');
  expect(await ifStale(dir)).toBe('');

  // A removed file changes its folder's time.
  unlinkSync(path.join(dir, 'src/cli/extra.ts'));
  expect(await ifStale(dir)).toBe('building dist/: src/cli is newer than dist/\n');

  // A changed compiler setting counts too.
  touch(path.join(dir, 'tsconfig.json'));
  expect(await ifStale(dir)).toBe('building dist/: tsconfig.json is newer than dist/\n');
  expect(await ifStale(dir)).toBe('');
  // Four real compiler runs: on a loaded 2-core machine each can take 10 s.
}, 180_000);

test('a failed build leaves no fresh stamp: the next run tries again', async () => {
  const dir = project();
  writeFileSync(path.join(dir, 'src/cli/main.ts'), 'export const answer: number = "not a number";\n');
  await expect(ifStale(dir)).rejects.toThrow();
  expect((await run(process.execPath, [SCRIPT, '--dry-run', '--root', dir])).stdout).toMatch(/^stale: /);
}, 90_000);

test('the demo script goes through the freshness check, and npm run build stamps dist/', () => {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  expect(pkg.scripts.demo).toBe('node scripts/build.mjs --if-stale && node dist/src/cli/main.js demo');
  expect(pkg.scripts.build).toBe('node scripts/build.mjs');
});
