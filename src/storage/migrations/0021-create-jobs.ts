import { type Kysely, sql } from 'kysely';
import { columnTypes } from '../column-types.js';

/**
 * Jobs (issue 8). `jobs` is the queue of the table-backed runner on SQLite: one row per job with
 * its state (`created` → `active` → `completed`, or `retry` and at last `failed`, parked), the
 * attempt it is on, its retry settings, when it may start, until when its runner holds it
 * (`locked_until`: past that the run counts as failed — its process died), the last error and an
 * optional singleton key (at most one unfinished job per key and queue). On PostgreSQL pg-boss
 * keeps jobs in its own schema and this table stays empty (it exists so both dialects keep one
 * schema). `job_schedule_slots` holds the scheduled slots already taken, on both: the process
 * that inserts a slot's row enqueues its job in the same transaction, so each slot runs once.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);

  await db.schema
    .createTable('jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('queue', 'text', (c) => c.notNull())
    .addColumn('payload', t.json, (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('attempt', 'integer', (c) => c.notNull())
    .addColumn('retry_limit', 'integer', (c) => c.notNull())
    .addColumn('retry_delay_seconds', 'integer', (c) => c.notNull())
    .addColumn('retry_backoff', 'integer', (c) => c.notNull())
    .addColumn('expire_in_seconds', 'integer', (c) => c.notNull())
    .addColumn('start_after', t.timestamp, (c) => c.notNull())
    .addColumn('locked_by', 'text')
    .addColumn('locked_until', t.timestamp)
    .addColumn('last_error', 'text')
    .addColumn('singleton_key', 'text')
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('started_at', t.timestamp)
    .addColumn('completed_at', t.timestamp)
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addCheckConstraint(
      'jobs_state_check',
      sql`state in ('created', 'active', 'retry', 'completed', 'failed')`,
    )
    .execute();
  await db.schema
    .createIndex('jobs_due_index')
    .on('jobs')
    .columns(['state', 'start_after'])
    .execute();
  await db.schema
    .createIndex('jobs_singleton_unique')
    .on('jobs')
    .columns(['queue', 'singleton_key'])
    .unique()
    .where(sql.ref('singleton_key'), 'is not', null)
    .where(sql.ref('state'), 'in', sql`('created', 'active', 'retry')`)
    .execute();

  await db.schema
    .createTable('job_schedule_slots')
    .addColumn('schedule', 'text', (c) => c.notNull())
    .addColumn('slot_at', t.timestamp, (c) => c.notNull())
    .addColumn('job_id', 'text')
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('job_schedule_slots_pkey', ['schedule', 'slot_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('job_schedule_slots').execute();
  await db.schema.dropTable('jobs').execute();
}
