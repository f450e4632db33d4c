import { type Kysely, sql } from 'kysely';
import { columnTypes } from '../column-types.js';

/** The operator's region and its municipalities (the tenants). */
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);

  await db.schema
    .createTable('regions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('slug', 'text', (c) => c.notNull())
    .addColumn('name_nl', 'text', (c) => c.notNull())
    .addColumn('name_fr', 'text', (c) => c.notNull())
    .addColumn('name_de', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addUniqueConstraint('regions_slug_unique', ['slug'])
    .addCheckConstraint('regions_kind_check', sql`kind in ('demo', 'live')`)
    .execute();

  await db.schema
    .createTable('municipalities')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('region_id', 'text', (c) =>
      c.notNull().references('regions.id').onDelete('restrict'),
    )
    .addColumn('slug', 'text', (c) => c.notNull())
    .addColumn('nis_code', 'text')
    .addColumn('name_nl', 'text', (c) => c.notNull())
    .addColumn('name_fr', 'text', (c) => c.notNull())
    .addColumn('name_de', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('default_locale', 'text', (c) => c.notNull())
    .addColumn('registered_households', 'integer', (c) => c.notNull())
    .addColumn('point_value_cents', 'integer', (c) => c.notNull())
    .addColumn('boundary', t.json)
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addUniqueConstraint('municipalities_slug_unique', ['slug'])
    .addUniqueConstraint('municipalities_nis_code_unique', ['nis_code'])
    .addCheckConstraint(
      'municipalities_default_locale_check',
      sql`default_locale in ('nl', 'fr', 'de', 'en')`,
    )
    .addCheckConstraint(
      'municipalities_registered_households_check',
      sql`registered_households >= 0`,
    )
    .addCheckConstraint('municipalities_point_value_cents_check', sql`point_value_cents > 0`)
    .execute();

  await db.schema
    .createIndex('municipalities_region_id_index')
    .on('municipalities')
    .column('region_id')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('municipalities').execute();
  await db.schema.dropTable('regions').execute();
}
