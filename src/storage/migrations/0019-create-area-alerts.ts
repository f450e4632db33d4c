import type { Kysely } from 'kysely';
import { columnTypes } from '../column-types.js';

/**
 * Area alerts: a resident follows an area (a point and radius, or a whole municipality) for new
 * tasks and problem reports and gets an email digest. The alert belongs to the resident's
 * municipality (`municipality_id`); the area may lie in another one of the region. `next_digest_at` is when the next digest is
 * due (indexed: the sweep reads only due rows); `covered_until` is the end of the period the last
 * digest covered, so each item is in exactly one digest.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);

  await db.schema
    .createTable('area_alerts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('municipality_id', 'text', (c) =>
      c.notNull().references('municipalities.id').onDelete('restrict'),
    )
    .addColumn('resident_id', 'text', (c) =>
      c.notNull().references('residents.id').onDelete('restrict'),
    )
    .addColumn('area_kind', 'text', (c) => c.notNull())
    .addColumn('area_municipality_id', 'text', (c) =>
      c.references('municipalities.id').onDelete('restrict'),
    )
    .addColumn('latitude', 'double precision')
    .addColumn('longitude', 'double precision')
    .addColumn('radius_m', 'integer')
    .addColumn('include_tasks', 'integer', (c) => c.notNull())
    .addColumn('include_reports', 'integer', (c) => c.notNull())
    .addColumn('frequency', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('covered_until', t.timestamp, (c) => c.notNull())
    .addColumn('next_digest_at', t.timestamp, (c) => c.notNull())
    .addColumn('last_sent_at', t.timestamp)
    .execute();
  await db.schema
    .createIndex('area_alerts_due_index')
    .on('area_alerts')
    .columns(['next_digest_at'])
    .execute();
  await db.schema
    .createIndex('area_alerts_resident_index')
    .on('area_alerts')
    .columns(['resident_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('area_alerts').execute();
}
