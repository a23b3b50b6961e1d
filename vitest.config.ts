import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

// graphql ships both CommonJS and ESM builds; Vite would otherwise load both (one for our code, one
// for CommonJS dependencies) and graphql refuses types from "another realm". Pin one build.
const graphqlEntry = createRequire(import.meta.url).resolve('graphql');

export default defineConfig({
  resolve: { alias: [{ find: /^graphql$/, replacement: graphqlEntry }] },
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/support/fast-check-seed.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration and end-to-end suites each create and drop their own database and start real
    // processes; two cores cannot run many of those at once without timing noise.
    maxWorkers: 2,
  },
});
