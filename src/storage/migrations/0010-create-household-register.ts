import { type Kysely, sql } from 'kysely';
import { columnTypes } from '../column-types.js';

/**
 * The municipal register of households, imported by staff from a CSV file: one entry per
 * household reference, with the address, the number of members, the language of its letters,
 * the hash of the one-time code of its latest verification letter, and — once a resident has
 * entered that code — the CivicPoints household it verified. Households learn when they were
 * verified (a nullable column, so it is added in place on both dialects).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);
  await db.schema
    .createTable('household_register')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('municipality_id', 'text', (c) =>
      c.notNull().references('municipalities.id').onDelete('restrict'),
    )
    .addColumn('reference', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('members', 'integer', (c) => c.notNull())
    .addColumn('locale', 'text')
    .addColumn('code_hash', 'text')
    .addColumn('code_issued_at', t.timestamp)
    .addColumn('verified_household_id', 'text', (c) =>
      c.references('households.id').onDelete('restrict'),
    )
    .addColumn('verified_at', t.timestamp)
    .addColumn('in_register', 'integer', (c) => c.notNull())
    .addColumn('imported_at', t.timestamp, (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addUniqueConstraint('household_register_reference_unique', ['municipality_id', 'reference'])
    .addUniqueConstraint('household_register_code_unique', ['code_hash'])
    .addUniqueConstraint('household_register_household_unique', ['verified_household_id'])
    .addCheckConstraint('household_register_members_check', sql`members between 1 and 99`)
    .addCheckConstraint(
      'household_register_locale_check',
      sql`locale is null or locale in ('nl', 'fr', 'de', 'en')`,
    )
    .addCheckConstraint('household_register_in_register_check', sql`in_register in (0, 1)`)
    .execute();

  await db.schema.alterTable('households').addColumn('verified_at', t.timestamp).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('households').dropColumn('verified_at').execute();
  await db.schema.dropTable('household_register').execute();
}
