import { describe, expect, it } from 'vitest';
import { enqueueJob } from '../../src/jobs/enqueue.js';
import { registerJobs } from '../../src/jobs/registry.js';
import { openJobStore } from '../../src/jobs/runner.js';
import { withDb } from '../../src/shared/context.js';
import { DomainError } from '../../src/shared/errors.js';
import { inTransaction } from '../../src/storage/transaction.js';
import { describeEachBackend } from '../support/backends.js';
import { useServiceContext } from '../support/storage-context.js';

/**
 * enqueueJob writes through ctx.db: a job enqueued in a transaction exists exactly when the
 * transaction commits; an unknown queue name throws; a singleton key keeps one unfinished job.
 */

registerJobs([
  {
    name: 'test.enqueue',
    retryLimit: 1,
    retryDelaySeconds: 1,
    retryBackoff: false,
    expireInSeconds: 60,
    run: async () => {},
  },
]);

const queued = async (t: ReturnType<typeof useServiceContext>) =>
  (await openJobStore(t.storage, t.clock).stats()).find((s) => s.queue === 'test.enqueue')
    ?.queued ?? 0;

describeEachBackend('enqueueJob', (backend) => {
  const t = useServiceContext(backend);

  it('writes the job with the transaction: none after a rollback, one after a commit', async () => {
    await expect(
      inTransaction(t.ctx.db, async (db) => {
        await enqueueJob(withDb(t.ctx, db), 'test.enqueue', { n: 1 });
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await queued(t)).toBe(0);

    const id = await inTransaction(t.ctx.db, async (db) => {
      const id = await enqueueJob(withDb(t.ctx, db), 'test.enqueue', { n: 2 });
      // Not committed yet: another connection does not see it (PostgreSQL; SQLite has one
      // connection, which this transaction holds).
      if (backend.name === 'postgres') expect(await queued(t)).toBe(0);
      return id;
    });
    expect(id).toEqual(expect.any(String));
    expect(await queued(t)).toBe(1);
  });

  it('throws job_unknown for a queue no job has, and writes nothing', async () => {
    const error = await enqueueJob(t.ctx, 'test.nobody', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('job_unknown');
    expect(await queued(t)).toBe(0);
  });

  it('keeps one unfinished job per singleton key', async () => {
    const first = await enqueueJob(t.ctx, 'test.enqueue', { n: 1 }, { singletonKey: 'k' });
    const second = await enqueueJob(t.ctx, 'test.enqueue', { n: 2 }, { singletonKey: 'k' });
    const other = await enqueueJob(t.ctx, 'test.enqueue', { n: 3 }, { singletonKey: 'other' });
    expect(first).toEqual(expect.any(String));
    expect(second).toBeNull();
    expect(other).toEqual(expect.any(String));
    expect(await queued(t)).toBe(2);
  });
});

describe('queue names', () => {
  it('must be module.verb', () => {
    expect(() =>
      registerJobs([
        {
          name: 'Bad Name',
          retryLimit: 0,
          retryDelaySeconds: 0,
          retryBackoff: false,
          expireInSeconds: 1,
          run: async () => {},
        },
      ]),
    ).toThrow('module.verb');
  });
});
