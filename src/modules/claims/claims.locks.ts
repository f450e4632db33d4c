import { lockKeys } from '../../storage/advisory-locks.js';
import type { Db } from '../../storage/database.js';

/**
 * Serializes the decisions that read limits and then write: two claims of one household, two
 * reviewers on one claim, must not both pass a check that only one may (see lockKeys).
 */
export async function lockEarningKeys(db: Db, keys: readonly string[]): Promise<void> {
  await lockKeys(db, 'earning', keys);
}
