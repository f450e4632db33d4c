import { sql } from 'kysely';
import type { Db } from '../../storage/database.js';
import { dialectOf } from '../../storage/dialect.js';

/**
 * Serializes the decisions that read limits and then write: two claims of one household, two
 * reviewers on one claim, must not both pass a check that only one may. On SQLite every write
 * transaction already runs alone (one connection); on PostgreSQL each key takes a transaction
 * advisory lock, in a fixed order so two transactions never wait on each other in a circle.
 */
export async function lockEarningKeys(db: Db, keys: readonly string[]): Promise<void> {
  if (!db.isTransaction) throw new Error('lockEarningKeys needs a transaction');
  if (dialectOf(db) !== 'postgres') return;
  for (const key of [...new Set(keys)].sort()) {
    await sql`select pg_advisory_xact_lock(hashtextextended(${`earning:${key}`}, 0))`.execute(db);
  }
}
