import { type Kysely, sql } from 'kysely';
import { columnTypes } from '../column-types.js';

/**
 * Import runs: one row per file a partner or a staff member imports (recycling-centre visits),
 * with its progress (updated per batch, so a page or a terminal can follow it) and its totals,
 * and every bad row of the file with its line and reason, kept so the sender can fix and resend.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);
  await db.schema
    .createTable('import_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('municipality_id', 'text', (c) =>
      c.notNull().references('municipalities.id').onDelete('restrict'),
    )
    .addColumn('partner_id', 'text', (c) => c.references('partners.id').onDelete('restrict'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('rows_total', 'integer', (c) => c.notNull())
    .addColumn('rows_done', 'integer', (c) => c.notNull())
    .addColumn('awarded_count', 'integer', (c) => c.notNull())
    .addColumn('waiting_count', 'integer', (c) => c.notNull())
    .addColumn('already_count', 'integer', (c) => c.notNull())
    .addColumn('problem_count', 'integer', (c) => c.notNull())
    .addColumn('points', t.bigint, (c) => c.notNull())
    .addColumn('error_code', 'text')
    .addColumn('error_message', 'text')
    .addColumn('started_by_kind', 'text', (c) => c.notNull())
    .addColumn('started_by', 'text', (c) => c.notNull())
    .addColumn('started_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('finished_at', t.timestamp)
    .addCheckConstraint('import_runs_status_check', sql`status in ('running', 'done', 'failed')`)
    .addCheckConstraint('import_runs_kind_check', sql`kind in ('visits')`)
    .addCheckConstraint(
      'import_runs_counts_check',
      sql`rows_done >= 0 and rows_done <= rows_total and points >= 0`,
    )
    .execute();
  await db.schema
    .createIndex('import_runs_municipality_index')
    .on('import_runs')
    .columns(['municipality_id', 'started_at'])
    .execute();
  await db.schema
    .createIndex('import_runs_partner_index')
    .on('import_runs')
    .columns(['partner_id', 'started_at'])
    .execute();

  await db.schema
    .createTable('import_run_problems')
    .addColumn('run_id', 'text', (c) =>
      c.notNull().references('import_runs.id').onDelete('cascade'),
    )
    .addColumn('municipality_id', 'text', (c) =>
      c.notNull().references('municipalities.id').onDelete('restrict'),
    )
    .addColumn('line', 'integer', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('visit_id', 'text')
    .addColumn('stream', 'text')
    .addPrimaryKeyConstraint('import_run_problems_pk', ['run_id', 'line'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('import_run_problems').execute();
  await db.schema.dropTable('import_runs').execute();
}
