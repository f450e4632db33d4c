import type { Kysely } from 'kysely';
import { columnTypes } from '../column-types.js';

/**
 * Rate-limit counters shared by every API process on one database (src/http/rate-limit-store.ts):
 * one row per limited key (a caller, with the route for a route's own limit), counting the hits
 * of the current fixed window, which ends at `window_ends_at` (milliseconds since the epoch). A
 * row whose window has ended is counted from 1 again or deleted by the next clean-up.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);
  await db.schema
    .createTable('rate_limits')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('window_ends_at', t.bigint, (c) => c.notNull())
    .addColumn('hits', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('rate_limits_window_ends_at_index')
    .on('rate_limits')
    .columns(['window_ends_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('rate_limits').execute();
}
