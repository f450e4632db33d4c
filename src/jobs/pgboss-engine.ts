import { type Kysely, sql } from 'kysely';
import type PgBoss from 'pg-boss';
import type { Clock } from '../shared/clock.js';
import { createContext } from '../shared/context.js';
import type { Storage } from '../storage/database.js';
import type { JobDefinition, JobFailure, JobLogger, JobRun, JobStore } from './jobs.types.js';
import { kyselyExecutor, loadPgBoss, pgBossFor } from './pgboss.js';
import { assertRetryable, statsByQueue } from './table-engine.js';

/**
 * The pg-boss engine (PostgreSQL). Each definition is a pg-boss queue created with its retry
 * settings (retryLimit, retryDelay, retryBackoff, expireInSeconds); a job that failed its last
 * retry stays in state `failed` (parked) for 30 days. pg-boss's supervisor (once across the
 * processes, by its own lock) fails runs past their expiry, which then retry like any failure.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const KEEP_FAILED_SECONDS = 30 * 86_400;
const KEEP_COMPLETED_SECONDS = 86_400;

/** The message of a pg-boss `output` (a serialized error, or `{ value }`). */
function outputMessage(output: unknown): string {
  const parsed = typeof output === 'string' ? safeJson(output) : output;
  if (parsed && typeof parsed === 'object') {
    const o = parsed as { message?: unknown; value?: unknown };
    if (typeof o.message === 'string') return o.message;
    if (typeof o.value === 'string') return o.value;
    if (o.value && typeof o.value === 'object' && 'message' in o.value) {
      return String((o.value as { message: unknown }).message);
    }
    return JSON.stringify(parsed);
  }
  return parsed === null || parsed === undefined ? '' : String(parsed);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Reading and repairing pg-boss's jobs of this storage (its schema `<current_schema>_jobs`). */
export function pgBossJobStore(
  storage: Storage,
  definitions: () => readonly JobDefinition[],
): JobStore {
  const ready = () => pgBossFor(storage, definitions());
  return {
    engine: 'pg-boss',
    async stats() {
      const { schema } = await ready();
      const { rows } = await sql<{ queue: string; state: string; count: number }>`
        select name as queue, state::text as state, count(*)::int as count
        from ${sql.table(`${schema}.job`)}
        where state <> 'completed' or completed_on > now() - interval '1 day'
        group by 1, 2`.execute(storage.db);
      return statsByQueue(
        definitions().map((d) => d.name),
        rows.filter((row) => row.state !== 'cancelled'),
      );
    },
    async failures(options = {}) {
      const { schema } = await ready();
      const { rows } = await sql<{
        id: string;
        name: string;
        retry_count: number;
        output: unknown;
        completed_on: string | null;
        data: unknown;
      }>`
        select id::text as id, name, retry_count, output, completed_on, data
        from ${sql.table(`${schema}.job`)}
        where state = 'failed' ${options.queue ? sql`and name = ${options.queue}` : sql``}
        order by completed_on desc, id
        limit ${options.limit ?? 100}`.execute(storage.db);
      return rows.map(
        (row): JobFailure => ({
          id: row.id,
          queue: row.name,
          attempts: row.retry_count + 1,
          lastError: outputMessage(row.output),
          failedAt: row.completed_on,
          payload: typeof row.data === 'string' ? safeJson(row.data) : row.data,
        }),
      );
    },
    async retry(id) {
      const { schema, boss } = await ready();
      const row = UUID.test(id)
        ? (
            await sql<{ name: string; state: string }>`
              select name, state::text as state from ${sql.table(`${schema}.job`)}
              where id = ${id}::uuid`.execute(storage.db)
          ).rows[0]
        : undefined;
      if (row?.state === 'failed') {
        // pg-boss's retry: back to `retry` with one more attempt allowed.
        const result = (await boss.retry(row.name, id, {
          db: kyselyExecutor(storage.db as Kysely<unknown>),
        })) as unknown as { affected?: number } | undefined;
        if (result?.affected !== 0) return;
      }
      assertRetryable(row, id);
    },
    async ping() {
      const { schema } = await ready();
      await sql`select 1 from ${sql.table(`${schema}.version`)} limit 1`.execute(storage.db);
    },
  };
}

export interface PgBossEngineOptions {
  storage: Storage;
  url: string;
  clock: Clock;
  definitions: readonly JobDefinition[];
  env: Pick<JobRun, 'config' | 'log'>;
  log: JobLogger;
  pollMs: number;
  /** How often pg-boss's supervisor fails expired runs and archives old jobs (seconds). */
  maintenanceIntervalSeconds?: number;
  stopTimeoutMs?: number;
}

export interface PgBossEngine {
  stop(): Promise<void>;
  healthy(): boolean;
}

/** Starts pg-boss workers (own pool of 2 connections) for the definitions' queues. */
export async function startPgBossEngine(options: PgBossEngineOptions): Promise<PgBossEngine> {
  const { storage, log } = options;
  const { schema } = await pgBossFor(storage, options.definitions);
  const PgBoss = await loadPgBoss();
  const boss = new PgBoss({
    connectionString: options.url,
    schema,
    max: 2,
    application_name: 'civicpoints-jobs',
    migrate: false,
    schedule: false,
    supervise: true,
    maintenanceIntervalSeconds: options.maintenanceIntervalSeconds ?? 60,
    archiveCompletedAfterSeconds: KEEP_COMPLETED_SECONDS,
    archiveFailedAfterSeconds: KEEP_FAILED_SECONDS,
  });
  // Unhealthy while pg-boss reports errors (a worker cannot fetch, the supervisor cannot run);
  // healthy again once it has been quiet for a while.
  let lastErrorAt = 0;
  const quietMs = Math.max(30_000, options.pollMs * 10);
  boss.on('error', (error) => {
    lastErrorAt = Date.now();
    log.warn({ err: error }, 'pg-boss reported an error');
  });
  await boss.start();
  const pollingIntervalSeconds = Math.max(0.5, options.pollMs / 1000);
  try {
    for (const definition of options.definitions) {
      await boss.work(
        definition.name,
        { pollingIntervalSeconds, batchSize: 1, includeMetadata: true },
        async (jobs: PgBoss.JobWithMetadata<object>[]) => {
          for (const job of jobs) {
            const ctx = createContext(storage, {
              clock: options.clock,
              actor: { kind: 'system', name: `job:${definition.name}` },
            });
            const attempt = job.retryCount + 1;
            try {
              await definition.run(ctx, job.data, { id: job.id, attempt, ...options.env });
            } catch (error) {
              log.warn(
                { queue: definition.name, jobId: job.id, attempt, err: error },
                attempt > job.retryLimit
                  ? 'a job failed after its retries; parked'
                  : 'a job failed; it will be retried',
              );
              throw error;
            }
          }
        },
      );
    }
  } catch (error) {
    await boss.stop({ graceful: false, close: true });
    throw error;
  }
  return {
    healthy: () => Date.now() - lastErrorAt > quietMs,
    async stop() {
      await boss.stop({
        graceful: true,
        wait: true,
        close: true,
        timeout: options.stopTimeoutMs ?? 10_000,
      });
    },
  };
}
