import { type Kysely, sql } from 'kysely';
import { columnTypes } from '../column-types.js';

/**
 * Problem reports (Open311 service requests): each municipality's report categories (Open311
 * services, with their attributes), the reports themselves (a point with its 0.01° grid cell in
 * an indexed integer column for radius and map searches; the reporter's contact kept apart from
 * everything public), their public updates, the residents and visitors who follow one ("me too"),
 * the photos attached from the claims' photo store, and the Open311 tokens handed out on POST.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);

  await db.schema
    .createTable('report_categories')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('municipality_id', 'text', (c) =>
      c.notNull().references('municipalities.id').onDelete('restrict'),
    )
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('names', t.json, (c) => c.notNull())
    .addColumn('descriptions', t.json, (c) => c.notNull())
    .addColumn('group_name', 'text')
    .addColumn('keywords', t.json, (c) => c.notNull())
    .addColumn('attributes', t.json, (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('sort_order', 'integer', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addUniqueConstraint('report_categories_code_unique', ['municipality_id', 'code'])
    .addCheckConstraint('report_categories_status_check', sql`status in ('active', 'archived')`)
    .execute();

  await db.schema
    .createTable('reports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('municipality_id', 'text', (c) =>
      c.notNull().references('municipalities.id').onDelete('restrict'),
    )
    .addColumn('category_id', 'text', (c) =>
      c.notNull().references('report_categories.id').onDelete('restrict'),
    )
    .addColumn('latitude', 'double precision', (c) => c.notNull())
    .addColumn('longitude', 'double precision', (c) => c.notNull())
    .addColumn('cell', 'integer', (c) => c.notNull())
    .addColumn('address', 'text')
    .addColumn('address_id', 'text')
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('attributes', t.json, (c) => c.notNull())
    .addColumn('media_url', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('sub_status', 'text', (c) => c.notNull())
    .addColumn('reporter_kind', 'text', (c) => c.notNull())
    .addColumn('resident_id', 'text', (c) => c.references('residents.id').onDelete('restrict'))
    .addColumn('api_key_id', 'text')
    .addColumn('reporter_email', 'text')
    .addColumn('reporter_name', 'text')
    .addColumn('reporter_phone', 'text')
    .addColumn('reporter_locale', 'text', (c) => c.notNull())
    .addColumn('show_name', 'integer', (c) => c.notNull())
    .addColumn('confirm_token_hash', 'text')
    .addColumn('confirm_expires_at', t.timestamp)
    .addColumn('confirmed_at', t.timestamp)
    .addColumn('assignee_id', 'text', (c) => c.references('users.id').onDelete('restrict'))
    .addColumn('hidden', 'integer', (c) => c.notNull())
    .addColumn('duplicate_of', 'text', (c) => c.references('reports.id').onDelete('restrict'))
    .addColumn('claim_id', 'text')
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addCheckConstraint(
      'reports_status_check',
      sql`(status = 'pending' and sub_status = 'unconfirmed') or (status = 'open' and sub_status in ('submitted', 'acknowledged', 'in_progress')) or (status = 'closed' and sub_status in ('fixed', 'not_responsible', 'duplicate', 'no_further_action'))`,
    )
    .addCheckConstraint(
      'reports_reporter_check',
      sql`reporter_kind in ('resident', 'visitor', 'api_key', 'staff')`,
    )
    .addCheckConstraint(
      'reports_coordinates_check',
      sql`latitude between -90 and 90 and longitude between -180 and 180`,
    )
    .addCheckConstraint('reports_description_check', sql`length(description) <= 4000`)
    .addCheckConstraint('reports_locale_check', sql`reporter_locale in ('nl', 'fr', 'de', 'en')`)
    .execute();
  await db.schema
    .createIndex('reports_cell_index')
    .on('reports')
    .columns(['cell', 'status'])
    .execute();
  await db.schema
    .createIndex('reports_inbox_index')
    .on('reports')
    .columns(['municipality_id', 'status', 'created_at'])
    .execute();
  await db.schema
    .createIndex('reports_created_index')
    .on('reports')
    .columns(['municipality_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('reports_resident_index')
    .on('reports')
    .columns(['resident_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('reports_confirm_index')
    .on('reports')
    .columns(['confirm_token_hash'])
    .execute();

  await db.schema
    .createTable('report_updates')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('report_id', 'text', (c) =>
      c.notNull().references('reports.id').onDelete('restrict'),
    )
    .addColumn('municipality_id', 'text', (c) =>
      c.notNull().references('municipalities.id').onDelete('restrict'),
    )
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('sub_status', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('author_kind', 'text', (c) => c.notNull())
    .addColumn('author_id', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('report_updates_report_index')
    .on('report_updates')
    .columns(['report_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('report_followers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('report_id', 'text', (c) =>
      c.notNull().references('reports.id').onDelete('restrict'),
    )
    .addColumn('municipality_id', 'text', (c) =>
      c.notNull().references('municipalities.id').onDelete('restrict'),
    )
    .addColumn('resident_id', 'text', (c) => c.references('residents.id').onDelete('restrict'))
    .addColumn('email', 'text')
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addUniqueConstraint('report_followers_resident_unique', ['report_id', 'resident_id'])
    .addUniqueConstraint('report_followers_email_unique', ['report_id', 'email'])
    .addCheckConstraint(
      'report_followers_who_check',
      sql`resident_id is not null or email is not null`,
    )
    .execute();
  await db.schema
    .createIndex('report_followers_resident_index')
    .on('report_followers')
    .columns(['resident_id'])
    .execute();

  await db.schema
    .createTable('report_photos')
    .addColumn('photo_id', 'text', (c) =>
      c.primaryKey().references('claim_photos.id').onDelete('restrict'),
    )
    .addColumn('report_id', 'text', (c) =>
      c.notNull().references('reports.id').onDelete('restrict'),
    )
    .addColumn('municipality_id', 'text', (c) =>
      c.notNull().references('municipalities.id').onDelete('restrict'),
    )
    .addColumn('position', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('report_photos_report_index')
    .on('report_photos')
    .columns(['report_id', 'position'])
    .execute();

  await db.schema
    .createTable('open311_tokens')
    .addColumn('token', 'text', (c) => c.primaryKey())
    .addColumn('municipality_id', 'text', (c) =>
      c.notNull().references('municipalities.id').onDelete('restrict'),
    )
    .addColumn('report_id', 'text', (c) => c.references('reports.id').onDelete('restrict'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('open311_tokens_report_index')
    .on('open311_tokens')
    .columns(['report_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'open311_tokens',
    'report_photos',
    'report_followers',
    'report_updates',
    'reports',
    'report_categories',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
