import { observedTransaction } from '../shared/telemetry.js';
import type { Db } from './database.js';

/**
 * Runs `work` in one database transaction: commits when it resolves, rolls back when it throws.
 * Inside an open transaction it joins that transaction, so services compose. Ledger transfers
 * written inside count as one ledger commit in the metrics.
 */
export async function inTransaction<T>(db: Db, work: (trx: Db) => Promise<T>): Promise<T> {
  if (db.isTransaction) return work(db);
  return observedTransaction<Db, T>((w) => db.transaction().execute(w), work, 'transaction');
}
