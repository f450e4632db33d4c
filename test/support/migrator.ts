import { type Kysely, Migrator, sql } from 'kysely';
import type { Storage } from '../../src/storage/database.js';
import { migrations } from '../../src/storage/migrations/index.js';

/** A Kysely migrator over every migration, for tests that migrate to a point and on (or back). */
export async function migratorFor(storage: Storage): Promise<Migrator> {
  const db = storage.db as unknown as Kysely<unknown>;
  const schema =
    storage.dialect === 'postgres'
      ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]!
          .schema
      : undefined;
  return new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    ...(schema && { migrationTableSchema: schema }),
  });
}
