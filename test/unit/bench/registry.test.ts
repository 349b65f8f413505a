import { readdirSync, readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { BENCHES } from '../../../bench/index.js';

test('every benchmark module in bench/ is registered, so `npm run bench` runs it', () => {
  const modules = readdirSync('bench')
    .filter((f) => f.endsWith('.ts') && /^export default /m.test(readFileSync(`bench/${f}`, 'utf8')))
    .map((f) => f.replace(/\.ts$/, ''))
    .sort();
  const registered = BENCHES.map((b) => b.name).sort();
  expect(registered).toEqual(modules);
});
