import type { Kysely } from 'kysely';
import { columnTypes } from '../column-types.js';

/**
 * Rotating site codes: one random secret per partner location (sealed with SECRETS_KEY, never in
 * clear), made when the location first shows a code; the code of each minute is derived from it.
 * Also an index for a partner's own claims (its confirmations and imports, newest first).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);

  await db.schema
    .createTable('site_code_secrets')
    .addColumn('location_id', 'text', (c) =>
      c.primaryKey().references('partner_locations.id').onDelete('restrict'),
    )
    .addColumn('municipality_id', 'text', (c) =>
      c.notNull().references('municipalities.id').onDelete('restrict'),
    )
    .addColumn('partner_id', 'text', (c) =>
      c.notNull().references('partners.id').onDelete('restrict'),
    )
    .addColumn('secret_sealed', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('site_code_secrets_partner_index')
    .on('site_code_secrets')
    .columns(['municipality_id', 'partner_id'])
    .execute();

  await db.schema
    .createIndex('claims_partner_index')
    .on('claims')
    .columns(['partner_id', 'submitted_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('claims_partner_index').execute();
  await db.schema.dropTable('site_code_secrets').execute();
}
