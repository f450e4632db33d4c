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
    // Each worker process runs its files one after another in one module registry instead of
    // importing the app afresh for every file: a third less time on a 2-core machine
    // (docs/testing.md). Files therefore never rely on module state another file could leave:
    // each builds its own app, database and clock.
    isolate: false,
    env: { LOG_LEVEL: 'silent' },
  },
});
