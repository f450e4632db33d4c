import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';

/**
 * Every row of every table of the app's database that contains one of `needles` (compared
 * case-insensitively against the row's JSON), as `table: row`: for proving that something was
 * erased everywhere, whatever tables exist now or are added later.
 */
export async function rowsContaining(app: FastifyInstance, needles: string[]): Promise<string[]> {
  const db = app.deps.storage.db;
  const wanted = needles.map((n) => n.toLowerCase());
  const found: string[] = [];
  for (const name of await appTables(db)) {
    const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(name)}`.execute(
      db,
    );
    for (const row of rows) {
      const text = JSON.stringify(row).toLowerCase();
      if (wanted.some((needle) => text.includes(needle))) found.push(`${name}: ${text}`);
    }
  }
  return found;
}

/**
 * The app's own tables: on PostgreSQL those of the connection's schema only (the job system keeps
 * pg-boss's tables in a schema of their own beside it), on SQLite every table but Kysely's.
 */
export async function appTables(db: FastifyInstance['deps']['storage']['db']): Promise<string[]> {
  const tables = await db.introspection.getTables();
  let schema: string | undefined;
  if (tables.some((table) => table.schema !== undefined)) {
    const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
    schema = rows[0]?.schema;
  }
  return tables
    .filter((table) => !table.name.startsWith('kysely_'))
    .filter((table) => schema === undefined || table.schema === schema)
    .map((table) => table.name);
}
