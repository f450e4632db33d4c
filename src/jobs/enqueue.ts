import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { ServiceContext } from '../shared/context.js';
import { DomainError } from '../shared/errors.js';
import { lockKeys } from '../storage/advisory-locks.js';
import { inTransaction } from '../storage/transaction.js';
import type { EnqueueOptions, JobDefinition } from './jobs.types.js';
import { kyselyExecutor, pgBossFor } from './pgboss.js';
import { findJobDefinition, jobDefinitions } from './registry.js';

/**
 * Enqueues a job on queue `name` with `payload` (a JSON object), written through `ctx.db`: inside
 * a transaction the job exists exactly when the transaction commits (SQLite: a row in `jobs`;
 * PostgreSQL: pg-boss's send, run on the same transaction). Returns the job's id, or null when
 * `singletonKey` matched a job not finished yet. Throws `job_unknown` for a name no job has.
 */
export async function enqueueJob(
  ctx: ServiceContext,
  name: string,
  payload: object,
  options: EnqueueOptions = {},
): Promise<string | null> {
  const definition = findJobDefinition(name);
  if (!definition) {
    throw new DomainError('job_unknown', 'invalid', `No job is called "${name}".`, {
      details: { name },
    });
  }
  return ctx.storage.dialect === 'postgres'
    ? enqueuePgBoss(ctx, definition, payload, options)
    : enqueueTable(ctx, definition, payload, options);
}

async function enqueueTable(
  ctx: ServiceContext,
  definition: JobDefinition,
  payload: object,
  options: EnqueueOptions,
): Promise<string | null> {
  const now = ctx.clock.now();
  const startAfter = new Date(now.getTime() + (options.startAfterSeconds ?? 0) * 1000);
  const id = randomUUID();
  const result = await ctx.db
    .insertInto('jobs')
    .values({
      id,
      queue: definition.name,
      payload: JSON.stringify(payload),
      state: 'created',
      attempt: 0,
      retry_limit: definition.retryLimit,
      retry_delay_seconds: definition.retryDelaySeconds,
      retry_backoff: definition.retryBackoff ? 1 : 0,
      expire_in_seconds: definition.expireInSeconds,
      start_after: startAfter.toISOString(),
      singleton_key: options.singletonKey ?? null,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    })
    // Only the partial unique index (queue, singleton_key) of unfinished jobs can conflict.
    .onConflict((conflict) => conflict.doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1 ? id : null;
}

async function enqueuePgBoss(
  ctx: ServiceContext,
  definition: JobDefinition,
  payload: object,
  options: EnqueueOptions,
): Promise<string | null> {
  // Installing pg-boss and the queue (once per process) runs beside the caller's transaction.
  const { boss, schema } = await pgBossFor(ctx.storage, [...jobDefinitions(), definition]);
  const sendOptions = {
    ...(options.startAfterSeconds !== undefined &&
      options.startAfterSeconds > 0 && { startAfter: options.startAfterSeconds }),
    ...(options.singletonKey !== undefined && { singletonKey: options.singletonKey }),
  };
  if (options.singletonKey === undefined) {
    return boss.send(definition.name, payload, {
      ...sendOptions,
      db: kyselyExecutor(ctx.db as Kysely<unknown>),
    });
  }
  // pg-boss's standard queues do not enforce singleton keys: one transaction at a time per
  // key looks for an unfinished job and sends only when there is none.
  const key = options.singletonKey;
  return inTransaction(ctx.db, async (db) => {
    await lockKeys(db, 'jobs', [`${definition.name}:${key}`]);
    const { rows } = await sql<{ id: string }>`
      select id from ${sql.table(`${schema}.job`)}
      where name = ${definition.name} and singleton_key = ${key}
        and state < 'completed' limit 1`.execute(db);
    if (rows.length > 0) return null;
    return boss.send(definition.name, payload, {
      ...sendOptions,
      db: kyselyExecutor(db as Kysely<unknown>),
    });
  });
}
