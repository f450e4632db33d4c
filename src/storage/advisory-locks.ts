import { sql } from 'kysely';
import type { Db } from './database.js';
import { dialectOf } from './dialect.js';

/**
 * Serializes decisions that read and then write (two purchases of one household against a limit,
 * two claims against a budget): on SQLite every write transaction already runs alone (one
 * connection); on PostgreSQL each key takes a transaction advisory lock, in sorted order so two
 * transactions never wait on each other in a circle. Keys are namespaced (`earning`, `spending`).
 */
export async function lockKeys(db: Db, namespace: string, keys: readonly string[]): Promise<void> {
  if (!db.isTransaction) throw new Error('lockKeys needs a transaction');
  if (dialectOf(db) !== 'postgres') return;
  for (const key of [...new Set(keys)].sort()) {
    await sql`select pg_advisory_xact_lock(hashtextextended(${`${namespace}:${key}`}, 0))`.execute(
      db,
    );
  }
}
