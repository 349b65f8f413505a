import { defineConfig } from 'vitest/config';

// Integration tests start real servers on loopback and real child processes; give them room,
// and run files in separate forks so one suite's sockets never leak into another's.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    restoreMocks: true,
  },
});
