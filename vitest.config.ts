import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Most test files wait on PostgreSQL, Chromium or child processes rather than the CPU: on a
    // 2-core CI machine vitest's default (cores - 1 = one file at a time) left the machine idle.
    maxWorkers: 3,
    env: { LOG_LEVEL: 'silent' },
  },
});
