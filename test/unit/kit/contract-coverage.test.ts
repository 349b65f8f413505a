/**
 * Every registered platform runs the Source conformance suite: a `<platform>.contract.test.ts`
 * under test/ that calls sourceContract() with the platform's plugin.
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
  const contracts = new Map(files(path.join(ROOT, 'test')).map((f) => [path.basename(f), f]));
  const missing = registry.plugins
    .map((p) => p.platform)
    .filter((platform) => {
      const file = contracts.get(`${platform}.contract.test.ts`);
      return !file || !readFileSync(file, 'utf8').includes('sourceContract(');
    });
  expect(missing).toEqual([]);
});
