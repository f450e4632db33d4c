import type { Kysely } from 'kysely';
import { columnTypes } from '../column-types.js';

/** Households: the unit a municipality counts, at an address; residents join by invite code. */
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);
  await db.schema
    .createTable('households')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('municipality_id', 'text', (c) =>
      c.notNull().references('municipalities.id').onDelete('restrict'),
    )
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('invite_code', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addUniqueConstraint('households_invite_code_unique', ['invite_code'])
    .execute();
  await db.schema
    .createIndex('households_municipality_index')
    .on('households')
    .column('municipality_id')
    .execute();

  await db.schema
    .createTable('household_members')
    .addColumn('resident_id', 'text', (c) =>
      c.primaryKey().references('residents.id').onDelete('restrict'),
    )
    .addColumn('household_id', 'text', (c) =>
      c.notNull().references('households.id').onDelete('restrict'),
    )
    .addColumn('municipality_id', 'text', (c) =>
      c.notNull().references('municipalities.id').onDelete('restrict'),
    )
    .addColumn('joined_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('household_members_household_index')
    .on('household_members')
    .column('household_id')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('household_members').execute();
  await db.schema.dropTable('households').execute();
}
