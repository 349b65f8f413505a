import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { EXIT } from '../../../src/core/errors.js';
import { EventStats } from '../../../src/core/stats.js';
import { createMetrics } from '../../../src/ops/metrics.js';

const DOC = readFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../docs/operations.md'), 'utf8');

test('docs/operations.md lists every bridge metric family with its type, and nothing else', async () => {
  const metrics = createMetrics({
    stream: 's',
    stats: new EventStats(),
    reporter: () => null,
    sources: () => [],
    sink: () => ({ state: 'ready' }),
    defaultMetrics: false,
  });
  const exported = [...(await metrics.registry.metrics()).matchAll(/^# TYPE (live_bridge_\S+) (\S+)$/gm)].map((m) => `${m[1]} ${m[2]}`);
  const documented = [...DOC.matchAll(/^\| `(live_bridge_[a-z_]+)` \| (counter|gauge|histogram) \|/gm)].map((m) => `${m[1]} ${m[2]}`);
  expect(documented.sort()).toEqual(exported.sort());
});

test('docs/operations.md documents every exit code', () => {
  const codes = [...DOC.matchAll(/^\| (\d+) \|/gm)].map((m) => Number(m[1]));
  expect(codes).toEqual(expect.arrayContaining(Object.values(EXIT)));
});

test("README's real-room lines export every variable the Douyin example needs", () => {
  const readme = readFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../README.md'), 'utf8');
  const example = readFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../config/example.douyin.yaml'), 'utf8');
  // Required: ${NAME} or ${NAME:?...} outside comments; ${NAME:-x} has a default.
  const uncommented = example
    .split('\n')
    .filter((l) => !l.trimStart().startsWith('#'))
    .join('\n');
  const required = new Set([...uncommented.matchAll(/\$\{([A-Z0-9_]+)(?::\?[^}]*)?\}/g)].map((m) => m[1] as string));
  const exportLine = /^export (.*)$/m.exec(readme.slice(readme.indexOf('## Run it for a real room')))?.[1] ?? '';
  const exported = new Set([...exportLine.matchAll(/([A-Z0-9_]+)=/g)].map((m) => m[1] as string));
  expect([...required].filter((v) => !exported.has(v))).toEqual([]);
  expect(required.size).toBeGreaterThan(2);
});
