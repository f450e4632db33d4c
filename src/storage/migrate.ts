import { type Kysely, type MigrationResultSet, Migrator, sql } from 'kysely';
import type { Db } from './database.js';
import { dialectOf } from './dialect.js';
import { migrations } from './migrations/index.js';

export interface MigrationOutcome {
  applied: string[];
}

/**
 * Brings the schema up to date. Safe to run from several processes at once (Kysely's Migrator
 * takes a lock). Throws with the failing migration's name when one fails; nothing of it stays.
 */
export async function migrateToLatest(db: Db): Promise<MigrationOutcome> {
  const migrator = new Migrator({
    db: db as Kysely<unknown>,
    provider: { getMigrations: async () => migrations },
    // Kysely looks for its bookkeeping tables in every schema unless told which one; name the
    // connection's own so another schema in the same database (a test run, a tenant) never counts.
    ...(dialectOf(db) === 'postgres' && { migrationTableSchema: await currentSchema(db) }),
  });
  return describe(await migrator.migrateToLatest());
}

function describe({ error, results = [] }: MigrationResultSet): MigrationOutcome {
  const failed = results.find((r) => r.status === 'Error');
  if (error || failed) {
    const cause = error instanceof Error ? error : new Error(String(error));
    throw new Error(`migration ${failed?.migrationName ?? '(setup)'} failed: ${cause.message}`, {
      cause,
    });
  }
  return { applied: results.filter((r) => r.status === 'Success').map((r) => r.migrationName) };
}

async function currentSchema(db: Db): Promise<string> {
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  const schema = rows[0]?.schema;
  if (!schema)
    throw new Error('the PostgreSQL connection has no current schema (check search_path)');
  return schema;
}
