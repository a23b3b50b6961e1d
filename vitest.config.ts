import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration and end-to-end suites each create and drop their own database and start real
    // processes; two cores cannot run many of those at once without timing noise.
    maxWorkers: 2,
  },
});
