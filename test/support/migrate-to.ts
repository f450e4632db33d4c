import type { Storage } from '../../src/storage/database.js';
import { migratorFor } from './migrator.js';

/**
 * Migrates the storage up or down to the named migration (for tests of one migration on a
 * database holding the data before it); returns `name:status` for each migration it ran.
 */
export async function migrateTo(storage: Storage, name: string): Promise<string[]> {
  const migrator = await migratorFor(storage);
  const { error, results = [] } = await migrator.migrateTo(name);
  if (error) throw error;
  return results.map((r) => `${r.migrationName}:${r.status}`);
}
