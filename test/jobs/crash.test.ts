import { afterEach, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { enqueueJob } from '../../src/jobs/enqueue.js';
import type { JobRunner } from '../../src/jobs/jobs.types.js';
import { registerJobs } from '../../src/jobs/registry.js';
import { startJobRunner } from '../../src/jobs/runner.js';
import { createContext } from '../../src/shared/context.js';
import { openStorage, type Storage } from '../../src/storage/database.js';
import { migrateToLatest } from '../../src/storage/migrate.js';
import { describeEachBackend } from '../support/backends.js';
import { databaseUrl } from '../support/cli.js';
import {
  createRunsTable,
  endProcess,
  hangJob,
  listRuns,
  type RunnerProcess,
  startRunnerProcess,
  testJobs,
  waitFor,
} from '../support/test-jobs.js';

/**
 * A runner process killed (SIGKILL) in the middle of a job leaves the job to another runner:
 * once the run is past its expiry (2 s for this job) it counts as a failed attempt and is
 * retried, here by a runner in the test's process, which finishes it.
 */

registerJobs(testJobs);
const silent = { info: () => {}, warn: () => {}, error: () => {} };

describeEachBackend('a runner killed mid-job', (backend) => {
  let storage: Storage;
  let killed: RunnerProcess | undefined;
  let runner: JobRunner | undefined;
  afterEach(async () => {
    if (killed) await endProcess(killed.child, 'SIGKILL');
    await runner?.stop();
    await storage?.close();
  });

  it('leaves its job to be picked up again after the job’s expiry', async () => {
    const database = await backend.freshDatabase();
    storage = openStorage(database);
    await migrateToLatest(storage.db);
    await createRunsTable(storage.db);
    killed = await startRunnerProcess(databaseUrl(database), ['test.hang'], {
      JOB_TEST_HANG: '1',
    });
    const ctx = createContext(storage, { actor: { kind: 'system', name: 'test' } });
    const id = await enqueueJob(ctx, 'test.hang', { key: 'k1' });
    expect(id).toEqual(expect.any(String));

    await waitFor(
      async () => (await listRuns(storage.db)).some((r) => r.event === 'started'),
      'the first runner started the job',
    );
    await endProcess(killed.child, 'SIGKILL');
    expect(killed.child.signalCode).toBe('SIGKILL');

    runner = await startJobRunner({
      storage,
      config: { ...loadConfig({ LOG_LEVEL: 'silent' }), database },
      log: silent,
      definitions: [hangJob],
      schedules: false,
      pollMs: 50,
      maintenanceIntervalSeconds: 1,
    });
    await waitFor(
      async () => (await listRuns(storage.db)).some((r) => r.event === 'finished'),
      'another runner finished the job',
      20_000,
    );
    const runs = await listRuns(storage.db);
    expect(runs).toEqual([
      { queue: 'test.hang', key: 'k1', attempt: 1, pid: killed.child.pid, event: 'started' },
      { queue: 'test.hang', key: 'k1', attempt: 2, pid: process.pid, event: 'started' },
      { queue: 'test.hang', key: 'k1', attempt: 2, pid: process.pid, event: 'finished' },
    ]);
    await waitFor(
      async () =>
        (await runner!.stats()).find((s) => s.queue === 'test.hang')?.completedRecently === 1,
      'the job completed',
    );
  }, 60_000);
});
