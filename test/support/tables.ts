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
  for (const { name } of await db.introspection.getTables()) {
    if (name.startsWith('kysely_')) continue;
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
