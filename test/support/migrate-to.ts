import { type Kysely, Migrator, sql } from 'kysely';
import type { Storage } from '../../src/storage/database.js';
import { migrations } from '../../src/storage/migrations/index.js';

/**
 * Migrates the storage up or down to the named migration (for tests of one migration on a
 * database holding the data before it); returns `name:status` for each migration it ran.
 */
export async function migrateTo(storage: Storage, name: string): Promise<string[]> {
  const db = storage.db as unknown as Kysely<unknown>;
  const schema =
    storage.dialect === 'postgres'
      ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]!
          .schema
      : undefined;
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    ...(schema && { migrationTableSchema: schema }),
  });
  const { error, results = [] } = await migrator.migrateTo(name);
  if (error) throw error;
  return results.map((r) => `${r.migrationName}:${r.status}`);
}
