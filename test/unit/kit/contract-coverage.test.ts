/**
 * Every registered platform runs the Source conformance suite: a `*.contract.test.ts` under test/
 * that calls sourceContract() with a config section of that platform.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { registry } from '../../../adapters/registry.js';
import { ROOT } from '../../helpers/e2e.js';

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? files(path.join(dir, d.name)) : [path.join(dir, d.name)],
  );
}

test('each plugin in the registry has a contract test that runs sourceContract', () => {
  const contracts = files(path.join(ROOT, 'test'))
    .filter((f) => f.endsWith('.contract.test.ts'))
    .map((f) => readFileSync(f, 'utf8'))
    .filter((text) => text.includes('sourceContract('));
  const missing = registry.plugins
    .map((p) => p.platform)
    .filter((platform) => !contracts.some((text) => text.includes(`platform: '${platform}'`)));
  expect(missing).toEqual([]);
});
