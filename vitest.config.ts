import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    // Generous: three files run at once on two cores, and CLI and multi-process tests start real
    // processes. A limit only ends a hung test; no test measures time.
    testTimeout: 90_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Most test files wait on PostgreSQL, Chromium or child processes rather than the CPU: on a
    // 2-core CI machine vitest's default (cores - 1 = one file at a time) left the machine idle.
    maxWorkers: 3,
    env: { LOG_LEVEL: 'silent' },
  },
});
