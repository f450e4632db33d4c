import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Clock } from '../shared/clock.js';
import { createContext } from '../shared/context.js';
import { DomainError } from '../shared/errors.js';
import type { Storage } from '../storage/database.js';
import type {
  JobDefinition,
  JobFailure,
  JobLogger,
  JobRun,
  JobStore,
  QueueStats,
} from './jobs.types.js';

/**
 * The table-backed engine (SQLite): jobs are rows of `jobs`. A runner polls: it first turns runs
 * past their `locked_until` (their process died or hung) into a retry or a failure, then claims
 * due jobs one at a time with one conditional `UPDATE … RETURNING` — the row changes from
 * created/retry to active only if it still is created/retry, so two runners (even in two
 * processes on one SQLite file: a write statement holds the database's write lock) never take the
 * same job. Time is the app's Clock, so tests move it.
 */

const DAY_MS = 86_400_000;
/** Completed jobs are kept this long (for "completed recently"), then deleted. */
const KEEP_COMPLETED_MS = DAY_MS;
const CLEANUP_EVERY_MS = 10 * 60_000;
const ERROR_LENGTH = 2000;

type ClaimedRow = {
  id: string;
  queue: string;
  payload: string;
  attempt: number;
};

/** Reading and repairing the `jobs` table. */
export function tableJobStore(
  storage: Storage,
  clock: Clock,
  queues: () => readonly string[],
): JobStore {
  return {
    engine: 'table',
    async stats() {
      const since = new Date(clock.now().getTime() - DAY_MS).toISOString();
      const rows = await storage.db
        .selectFrom('jobs')
        .select(['queue', 'state', (eb) => eb.fn.countAll<number>().as('count')])
        .where((eb) => eb.or([eb('state', '!=', 'completed'), eb('completed_at', '>', since)]))
        .groupBy(['queue', 'state'])
        .execute();
      return statsByQueue(queues(), rows);
    },
    async failures(options = {}) {
      let query = storage.db
        .selectFrom('jobs')
        .select(['id', 'queue', 'attempt', 'last_error', 'completed_at', 'payload'])
        .where('state', '=', 'failed')
        .orderBy('completed_at', 'desc')
        .orderBy('id')
        .limit(options.limit ?? 100);
      if (options.queue) query = query.where('queue', '=', options.queue);
      return (await query.execute()).map(
        (row): JobFailure => ({
          id: row.id,
          queue: row.queue,
          attempts: row.attempt,
          lastError: row.last_error ?? '',
          failedAt: row.completed_at,
          payload: JSON.parse(row.payload),
        }),
      );
    },
    async retry(id) {
      const now = clock.now().toISOString();
      // One more run: the limit becomes the attempts made, so the next failure parks it again.
      // Its start_after (its last try) is past already, for every runner's clock.
      const result = await storage.db
        .updateTable('jobs')
        .set((eb) => ({
          state: 'retry',
          retry_limit: eb.ref('attempt'),
          completed_at: null,
          updated_at: now,
        }))
        .where('id', '=', id)
        .where('state', '=', 'failed')
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 1) return;
      await assertRetryable(
        await storage.db.selectFrom('jobs').select('state').where('id', '=', id).executeTakeFirst(),
        id,
      );
    },
    async ping() {
      await storage.db.selectFrom('jobs').select('id').limit(1).execute();
    },
  };
}

/** Throws why a job could not be put back: it does not exist, or it is not parked. */
export function assertRetryable(row: { state: string } | undefined, id: string): never {
  if (!row) throw new DomainError('job_not_found', 'not_found', `No job ${id}.`);
  throw new DomainError(
    'job_not_failed',
    'conflict',
    `Job ${id} is ${row.state}, not failed; only a parked job can be retried.`,
  );
}

/** Counts per queue from (queue, state, count) rows; every known queue appears, even empty. */
export function statsByQueue(
  queues: readonly string[],
  rows: readonly { queue: string; state: string; count: number | string | bigint }[],
): QueueStats[] {
  const stats = new Map<string, QueueStats>();
  const entry = (queue: string) => {
    let found = stats.get(queue);
    if (!found) {
      found = { queue, queued: 0, active: 0, retrying: 0, failed: 0, completedRecently: 0 };
      stats.set(queue, found);
    }
    return found;
  };
  for (const queue of queues) entry(queue);
  for (const row of rows) {
    const count = Number(row.count);
    const stat = entry(row.queue);
    if (row.state === 'created') stat.queued += count;
    else if (row.state === 'active') stat.active += count;
    else if (row.state === 'retry') stat.retrying += count;
    else if (row.state === 'failed') stat.failed += count;
    else if (row.state === 'completed') stat.completedRecently += count;
  }
  return [...stats.values()].sort((a, b) => a.queue.localeCompare(b.queue));
}

/** The message kept of a failed run. */
export function errorText(error: unknown): string {
  const text =
    error instanceof DomainError
      ? `${error.message} (${error.code})`
      : error instanceof Error
        ? error.message || error.name
        : String(error);
  return text.slice(0, ERROR_LENGTH);
}

export interface TableEngineOptions {
  storage: Storage;
  clock: Clock;
  definitions: readonly JobDefinition[];
  env: Pick<JobRun, 'config' | 'log'>;
  log: JobLogger;
  /** How often to look for due jobs. */
  pollMs: number;
  /** How many jobs this process runs at once. */
  concurrency: number;
  /** How long stop() waits for running jobs. */
  stopTimeoutMs?: number;
}

export interface TableEngine {
  stop(): Promise<void>;
  healthy(): boolean;
}

/** Starts polling the `jobs` table for the definitions' queues. */
export function startTableEngine(options: TableEngineOptions): TableEngine {
  const { storage, clock, log } = options;
  const definitions = new Map(options.definitions.map((d) => [d.name, d]));
  const queues = [...definitions.keys()];
  const runnerId = `${process.pid}:${randomUUID()}`;
  const running = new Set<Promise<void>>();
  let stopped = false;
  let healthy = true;
  let timer: NodeJS.Timeout | null = null;
  let lastCleanup = 0;
  let polling: Promise<void> | null = null;

  const expireOverdue = async (now: string) => {
    // Read first: an idle poll takes no write lock (the ledger's commits need it more).
    const overdue = await storage.db
      .selectFrom('jobs')
      .select('id')
      .where('state', '=', 'active')
      .where('locked_until', '<', now)
      .limit(1)
      .executeTakeFirst();
    if (!overdue) return;
    // A run past its lock: its process died or hung. Like a thrown error it counts as an attempt.
    await sql`
      update jobs set
        state = case when attempt <= retry_limit then 'retry' else 'failed' end,
        start_after = ${now},
        completed_at = case when attempt <= retry_limit then null else ${now} end,
        last_error = 'the run did not finish within ' || expire_in_seconds || ' s (its process stopped or hung)',
        locked_by = null, locked_until = null, updated_at = ${now}
      where state = 'active' and locked_until < ${now}`.execute(storage.db);
  };

  const claim = async (now: string): Promise<ClaimedRow | undefined> => {
    const due = await storage.db
      .selectFrom('jobs')
      .select('id')
      .where('state', 'in', ['created', 'retry'])
      .where('start_after', '<=', now)
      .where('queue', 'in', queues)
      .limit(1)
      .executeTakeFirst();
    if (!due) return undefined;
    const { rows } = await sql<ClaimedRow>`
      update jobs set
        state = 'active', attempt = attempt + 1, locked_by = ${runnerId},
        locked_until = strftime('%Y-%m-%dT%H:%M:%fZ', ${now}, '+' || expire_in_seconds || ' seconds'),
        started_at = ${now}, updated_at = ${now}
      where id = (
          select id from jobs
          where state in ('created', 'retry') and start_after <= ${now}
            and queue in (${sql.join(queues)})
          order by start_after, id limit 1)
        and state in ('created', 'retry')
      returning id, queue, payload, attempt`.execute(storage.db);
    return rows[0];
  };

  const finish = async (row: ClaimedRow, error: unknown) => {
    const now = clock.now();
    const guard = (query: ReturnType<typeof storage.db.updateTable<'jobs'>>) =>
      query
        .where('id', '=', row.id)
        .where('state', '=', 'active')
        .where('attempt', '=', row.attempt)
        .where('locked_by', '=', runnerId);
    if (error === undefined) {
      await guard(
        storage.db.updateTable('jobs').set({
          state: 'completed',
          completed_at: now.toISOString(),
          locked_by: null,
          locked_until: null,
          updated_at: now.toISOString(),
        }),
      ).execute();
      return;
    }
    const job = await storage.db
      .selectFrom('jobs')
      .select(['retry_limit', 'retry_delay_seconds', 'retry_backoff'])
      .where('id', '=', row.id)
      .executeTakeFirst();
    if (!job) return;
    const again = row.attempt <= job.retry_limit;
    const delaySeconds = job.retry_delay_seconds * (job.retry_backoff ? 2 ** (row.attempt - 1) : 1);
    await guard(
      storage.db.updateTable('jobs').set({
        state: again ? 'retry' : 'failed',
        start_after: again
          ? new Date(now.getTime() + delaySeconds * 1000).toISOString()
          : now.toISOString(),
        completed_at: again ? null : now.toISOString(),
        last_error: errorText(error),
        locked_by: null,
        locked_until: null,
        updated_at: now.toISOString(),
      }),
    ).execute();
    log.warn(
      { queue: row.queue, jobId: row.id, attempt: row.attempt, err: error },
      again ? 'a job failed; it will be retried' : 'a job failed after its retries; parked',
    );
  };

  const run = async (row: ClaimedRow) => {
    const definition = definitions.get(row.queue);
    let failure: unknown;
    try {
      if (!definition) throw new Error(`no job is called ${row.queue}`);
      const ctx = createContext(storage, {
        clock,
        actor: { kind: 'system', name: `job:${row.queue}` },
      });
      await definition.run(ctx, JSON.parse(row.payload), {
        id: row.id,
        attempt: row.attempt,
        ...options.env,
      });
    } catch (error) {
      failure = error ?? new Error('the job failed');
    }
    try {
      await finish(row, failure);
    } catch (error) {
      // The lock runs out and another runner (or this one) takes the job again.
      log.error({ err: error, jobId: row.id }, 'could not record the end of a job');
    }
  };

  const poll = async () => {
    const now = clock.now();
    const nowIso = now.toISOString();
    await expireOverdue(nowIso);
    while (!stopped && queues.length > 0 && running.size < options.concurrency) {
      const row = await claim(clock.now().toISOString());
      if (!row) break;
      const task = run(row).finally(() => running.delete(task));
      running.add(task);
    }
    if (now.getTime() - lastCleanup >= CLEANUP_EVERY_MS) {
      lastCleanup = now.getTime();
      await storage.db
        .deleteFrom('jobs')
        .where('state', '=', 'completed')
        .where('completed_at', '<', new Date(now.getTime() - KEEP_COMPLETED_MS).toISOString())
        .execute();
    }
  };

  const loop = () => {
    if (stopped) return;
    polling = poll()
      .then(
        () => {
          healthy = true;
        },
        (error: unknown) => {
          // SQLITE_BUSY under another process's long write, or the database is gone: try again.
          healthy = false;
          log.warn({ err: error }, 'the job runner could not poll; trying again');
        },
      )
      .finally(() => {
        polling = null;
        if (!stopped) {
          timer = setTimeout(loop, options.pollMs);
          timer.unref();
        }
      });
  };
  loop();

  return {
    healthy: () => healthy,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await polling;
      // Running jobs finish (their rows are recorded) before the database closes — for a while:
      // one that hangs is left to its lock running out.
      let wait: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled([...running]),
        new Promise((resolve) => {
          wait = setTimeout(resolve, options.stopTimeoutMs ?? 10_000);
        }),
      ]);
      clearTimeout(wait);
    },
  };
}
