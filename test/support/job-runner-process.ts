import { loadConfig } from '../../src/config.js';
import { registerJobs } from '../../src/jobs/registry.js';
import { startJobRunner } from '../../src/jobs/runner.js';
import { openStorage } from '../../src/storage/database.js';
import { testJobs } from './test-jobs.js';

/**
 * A job runner as its own process, for the multi-process job tests: the database from
 * DATABASE_URL (already migrated), the test jobs named in JOB_TEST_QUEUES, a 200 ms schedule
 * tick (JOB_TEST_TICK_MS), a 100 ms poll. Prints "runner started"; SIGTERM stops it cleanly.
 */
const config = loadConfig(process.env);
registerJobs(testJobs);
const queues = (process.env.JOB_TEST_QUEUES ?? '').split(',');
const storage = openStorage(config.database);
const line = (level: string) => (fields: object, message: string) =>
  process.stderr.write(
    `${level} ${message} ${JSON.stringify(fields, (_k, v) => (v instanceof Error ? v.message : v))}\n`,
  );
const log = { info: line('info'), warn: line('warn'), error: line('error') };
const runner = await startJobRunner({
  storage,
  config,
  log,
  definitions: testJobs.filter((job) => queues.includes(job.name)),
  pollMs: 100,
  tickMs: Number(process.env.JOB_TEST_TICK_MS ?? 200),
  maintenanceIntervalSeconds: 1,
});
process.stdout.write('runner started\n');
// The runner's timers do not keep a process alive (in `serve` the HTTP server does).
const keepAlive = setInterval(() => {}, 60_000);
process.once('SIGTERM', () => {
  clearInterval(keepAlive);
  runner
    .stop()
    .then(() => storage.close())
    .then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`stop failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
});
