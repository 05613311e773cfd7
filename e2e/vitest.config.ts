import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.ts'],
    globalSetup: ['e2e/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
    // A whole loop through five people's pages takes 70 s on a loaded 2-core machine; not a speed target.
    testTimeout: 150_000,
    hookTimeout: 180_000,
  },
});
