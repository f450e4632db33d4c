import { sql } from 'kysely';
import { afterEach, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { enqueueJob } from '../../src/jobs/enqueue.js';
import type { JobDefinition, JobRunner } from '../../src/jobs/jobs.types.js';
import { pgBossSchemaOf } from '../../src/jobs/pgboss.js';
import { registerJobs } from '../../src/jobs/registry.js';
import { startJobRunner } from '../../src/jobs/runner.js';
import { fixedClock } from '../../src/shared/clock.js';
import { createContext } from '../../src/shared/context.js';
import { openStorage, type Storage } from '../../src/storage/database.js';
import { migrateToLatest } from '../../src/storage/migrate.js';
import { describeEachBackend } from '../support/backends.js';
import { civicpoints, databaseUrl } from '../support/cli.js';
import { waitFor } from '../support/test-jobs.js';

/**
 * A failing job is retried with backoff, then parked as failed with its last error; `civicpoints
 * jobs failures` lists it and `civicpoints jobs retry ID` runs it once more.
 */

const attempts: number[] = [];
let failing = true;
const failJob: JobDefinition = {
  name: 'test.fail',
  retryLimit: 2,
  retryDelaySeconds: 1,
  retryBackoff: true,
  expireInSeconds: 30,
  run: async (_ctx, _payload, job) => {
    attempts.push(job.attempt);
    if (failing) throw new Error(`boom on attempt ${job.attempt}`);
  },
};
registerJobs([failJob]);

const silent = { info: () => {}, warn: () => {}, error: () => {} };

describeEachBackend('job retries', (backend) => {
  let storage: Storage;
  let runner: JobRunner | undefined;
  afterEach(async () => {
    await runner?.stop();
    await storage?.close();
  });

  it('retries a failing job with backoff, parks it, and runs it again on `jobs retry`', async () => {
    attempts.length = 0;
    failing = true;
    const database = await backend.freshDatabase();
    storage = openStorage(database);
    await migrateToLatest(storage.db);
    const clock = fixedClock('2026-12-01T09:00:00Z');
    const ctx = createContext(storage, { clock, actor: { kind: 'system', name: 'test' } });
    runner = await startJobRunner({
      storage,
      config: { ...loadConfig({ LOG_LEVEL: 'silent' }), database },
      clock,
      log: silent,
      definitions: [failJob],
      schedules: false,
      pollMs: 20,
    });
    const stat = async () => (await runner!.stats()).find((s) => s.queue === 'test.fail')!;
    const id = (await enqueueJob(ctx, 'test.fail', { n: 1 }))!;

    // Seconds until the retry may start; then "time passes" (the clock, or pg-boss's row).
    const retryIn = async (): Promise<number> => {
      if (backend.name === 'sqlite') {
        const row = await storage.db
          .selectFrom('jobs')
          .select('start_after')
          .where('id', '=', id)
          .executeTakeFirstOrThrow();
        return (Date.parse(row.start_after) - clock.now().getTime()) / 1000;
      }
      const schema = await pgBossSchemaOf(storage.db);
      const { rows } = await sql<{ seconds: number }>`
        select extract(epoch from start_after - now())::float8 as seconds
        from ${sql.table(`${schema}.job`)} where id = ${id}::uuid`.execute(storage.db);
      return rows[0]!.seconds;
    };
    const letTimePass = async (seconds: number) => {
      if (backend.name === 'sqlite') return clock.advance(seconds * 1000);
      const schema = await pgBossSchemaOf(storage.db);
      await sql`update ${sql.table(`${schema}.job`)} set start_after = now()
        where id = ${id}::uuid`.execute(storage.db);
    };

    await waitFor(async () => attempts.length === 1 && (await stat()).retrying === 1, 'retry 1');
    const first = await retryIn();
    await letTimePass(4);
    await waitFor(async () => attempts.length === 2 && (await stat()).retrying === 1, 'retry 2');
    const second = await retryIn();
    await letTimePass(4);
    await waitFor(async () => (await stat()).failed === 1, 'parked');
    expect(attempts).toEqual([1, 2, 3]);
    // Backoff: 1 s, then 2 s (pg-boss adds up to as much again at random).
    if (backend.name === 'sqlite') {
      expect([first, second]).toEqual([1, 2]);
    } else {
      expect(first).toBeGreaterThan(0.5);
      expect(first).toBeLessThanOrEqual(2);
      expect(second).toBeGreaterThan(1.5);
      expect(second).toBeLessThanOrEqual(4);
    }
    expect(await stat()).toMatchObject({ queued: 0, active: 0, retrying: 0, failed: 1 });

    const env = { DATABASE_URL: databaseUrl(database) };
    const listed = await civicpoints(['jobs', 'failures', '--queue', 'test.fail', '--json'], env);
    expect(listed.code, listed.stderr).toBe(0);
    expect(JSON.parse(listed.stdout).failures).toEqual([
      expect.objectContaining({
        id,
        queue: 'test.fail',
        attempts: 3,
        lastError: 'boom on attempt 3',
        payload: { n: 1 },
      }),
    ]);

    failing = false;
    const retried = await civicpoints(['jobs', 'retry', id], env);
    expect(retried.code, retried.stderr).toBe(0);
    await waitFor(async () => (await stat()).completedRecently === 1, 'the retried run');
    expect(attempts).toEqual([1, 2, 3, 4]);
    expect(await runner.failures()).toEqual([]);
    // Only a parked job goes back; an unknown id is not found.
    await expect(runner.retry(id)).rejects.toMatchObject({ code: 'job_not_failed' });
    await expect(runner.retry('00000000-0000-4000-8000-000000000000')).rejects.toMatchObject({
      code: 'job_not_found',
    });
    await expect(runner.retry('not-an-id')).rejects.toMatchObject({ code: 'job_not_found' });
  }, 60_000);
});
