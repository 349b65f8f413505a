// Runs the douyin-browser cost measurement (not part of `npm test`):
//   npx vitest run --config test/helpers/douyin-browser/measure.config.ts
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: { include: ['test/helpers/douyin-browser/measure.run.ts'], pool: 'forks', testTimeout: 120_000 },
});
