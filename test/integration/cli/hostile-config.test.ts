/**
 * Hostile config input through the real CLI and real files: each is refused with one line
 * naming the file (and the line where there is one) and exit 78, never a stack, a hang or a
 * blown heap.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { CONFIG_LIMITS } from '../../../src/config/load.js';
import { cli } from '../../helpers/cli.js';

const BASE = `stream: hostile
sources:
  - platform: simulate
metastudio:
  project_id: p1
  room_id: r1
  dry_run: true
`;

async function file(name: string, text: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lb-hostile-'));
  const p = path.join(dir, name);
  await writeFile(p, text);
  return p;
}

/** Runs `check` and `run` on the path: both must exit 78 with exactly one line on stderr matching `line`. */
async function refused(p: string, line: RegExp, env: Record<string, string> = {}): Promise<void> {
  for (const command of ['check', 'run']) {
    const r = await cli([command, p], { env });
    expect(r.code, `${command}: ${r.stderr}`).toBe(78);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines, command).toHaveLength(1);
    expect(lines[0]).toMatch(line);
  }
}

describe('hostile config', () => {
  test('a "billion laughs" of nested aliases', async () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (const [prev, name] of [
      ['a', 'b'],
      ['b', 'c'],
      ['c', 'd'],
      ['d', 'e'],
      ['e', 'f'],
      ['f', 'g'],
      ['g', 'h'],
    ])
      levels.push(`${name}: &${name} [${Array.from({ length: 9 }, () => `*${prev}`).join(',')}]`);
    const p = await file('laughs.yaml', `${BASE}x:\n${levels.map((l) => `  ${l}`).join('\n')}\n`);
    await refused(p, new RegExp(`^${p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:10:\\d+: YAML aliases expand beyond 100 nodes`));
  });

  test('a merge-key bomb', async () => {
    const text = `${BASE}x:
  a: &a {p: 1, q: 2}
  b: &b {<<: [*a, *a, *a, *a, *a, *a], r: 1}
  c: &c {<<: [*b, *b, *b, *b, *b, *b]}
  d: &d {<<: [*c, *c, *c, *c, *c, *c]}
  e: {<<: [*d, *d, *d, *d, *d, *d]}
`;
    const p = await file('merge.yaml', text);
    await refused(p, /merge\.yaml:10:\d+: YAML aliases expand beyond 100 nodes/);
  });

  test('a huge value through ${ENV} is refused before it costs memory', async () => {
    const p = await file('big.yaml', `${BASE.replace('room_id: r1', 'room_id: ${BIG}')}`);
    await refused(p, /big\.yaml:6:\d+: a value of 5000000 characters is over the limit of 65536/, { BIG: 'x'.repeat(5_000_000) });
  });

  test('a config file over the size limit', async () => {
    const p = await file('huge.yaml', `${BASE}# ${'x'.repeat(CONFIG_LIMITS.maxFileBytes)}\n`);
    await refused(p, /huge\.yaml: the config file is \d+ bytes; the limit is 1048576$/);
  });

  test('a FIFO, a directory or a device as the config path is refused at once', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lb-hostile-'));
    const fifo = path.join(dir, 'config.yaml');
    execFileSync('mkfifo', [fifo]);
    await refused(fifo, /config\.yaml: not a regular file \(a FIFO\); give the path of a YAML file$/);
    await refused(dir, /: not a regular file \(a directory\)/);
    await refused('/dev/zero', /^\/dev\/zero: not a regular file \(a device\)/);
  });
});
