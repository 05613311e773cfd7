import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['server/**/*.test.ts', 'common/**/*.test.ts', 'bench/**/*.test.ts'],
    globalSetup: ['server/test/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 2,
    // Test files share a worker's modules (each still gets its own database): importing the app once per worker
    // instead of once per file took the suite's import time from ~217 s to a fraction, measured on this machine.
    isolate: false,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default'],
    // seedDemo replays no case history and writes no resident archive in tests unless a test asks
    // (demo-history.test.ts, server/seed/archive/*.test.ts).
    env: { GRIDLOOP_DEMO_CASES: '0', GRIDLOOP_DEMO_PEOPLE: '0' },
  },
});
