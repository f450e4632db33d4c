import { type Kysely, sql } from 'kysely';
import { columnTypes } from '../column-types.js';

/**
 * Earning: each municipality's activity catalogue (an activity with its versions — a change is a
 * new version from its effective date, so approved claims keep the terms they were made under),
 * the municipality's earning settings (yearly cap per resident, checks), residents' and partners'
 * claims, and the photos that are their evidence (the display copy without metadata; only the
 * hashes, time and place of the original are kept).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);

  await db.schema
    .createTable('activities')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('municipality_id', 'text', (c) =>
      c.notNull().references('municipalities.id').onDelete('restrict'),
    )
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addUniqueConstraint('activities_code_unique', ['municipality_id', 'code'])
    .addCheckConstraint('activities_status_check', sql`status in ('active', 'archived')`)
    .execute();

  await db.schema
    .createTable('activity_versions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('activity_id', 'text', (c) =>
      c.notNull().references('activities.id').onDelete('restrict'),
    )
    .addColumn('municipality_id', 'text', (c) =>
      c.notNull().references('municipalities.id').onDelete('restrict'),
    )
    .addColumn('effective_from', t.timestamp, (c) => c.notNull())
    .addColumn('terms', t.json, (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addUniqueConstraint('activity_versions_effective_unique', ['activity_id', 'effective_from'])
    .execute();

  await db.schema
    .createTable('earning_settings')
    .addColumn('municipality_id', 'text', (c) =>
      c.primaryKey().references('municipalities.id').onDelete('restrict'),
    )
    .addColumn('yearly_cap_points', 'integer')
    .addColumn('new_account_days', 'integer', (c) => c.notNull())
    .addColumn('velocity_max_claims', 'integer', (c) => c.notNull())
    .addColumn('velocity_window_minutes', 'integer', (c) => c.notNull())
    .addColumn('photo_max_hours_apart', 'integer', (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addCheckConstraint(
      'earning_settings_cap_check',
      sql`yearly_cap_points is null or yearly_cap_points > 0`,
    )
    .execute();

  await db.schema
    .createTable('claims')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('municipality_id', 'text', (c) =>
      c.notNull().references('municipalities.id').onDelete('restrict'),
    )
    .addColumn('activity_id', 'text', (c) =>
      c.notNull().references('activities.id').onDelete('restrict'),
    )
    .addColumn('activity_version_id', 'text', (c) =>
      c.notNull().references('activity_versions.id').onDelete('restrict'),
    )
    .addColumn('resident_id', 'text', (c) =>
      c.notNull().references('residents.id').onDelete('restrict'),
    )
    .addColumn('household_id', 'text')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('partner_id', 'text', (c) => c.references('partners.id').onDelete('restrict'))
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('external_key', 'text')
    .addColumn('quantity_milli', 'integer', (c) => c.notNull())
    .addColumn('requested_points', 'integer', (c) => c.notNull())
    .addColumn('points', 'integer', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('latitude', 'double precision')
    .addColumn('longitude', 'double precision')
    .addColumn('site_location_id', 'text')
    .addColumn('occurred_at', t.timestamp, (c) => c.notNull())
    .addColumn('submitted_at', t.timestamp, (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('risk', 'text', (c) => c.notNull())
    .addColumn('flags', t.json, (c) => c.notNull())
    .addColumn('decided_at', t.timestamp)
    .addColumn('decided_by_kind', 'text')
    .addColumn('decided_by', 'text')
    .addColumn('reject_reason', 'text')
    .addColumn('decision_note', 'text')
    .addColumn('appealed_at', t.timestamp)
    .addColumn('appeal_note', 'text')
    .addColumn('transfer_id', 'text')
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addUniqueConstraint('claims_external_key_unique', ['municipality_id', 'external_key'])
    .addCheckConstraint(
      'claims_status_check',
      sql`status in ('submitted', 'approved', 'rejected', 'withdrawn')`,
    )
    .addCheckConstraint('claims_risk_check', sql`risk in ('none', 'low', 'medium', 'high')`)
    .addCheckConstraint(
      'claims_source_check',
      sql`source in ('resident', 'partner', 'import', 'staff', 'report')`,
    )
    .addCheckConstraint('claims_points_check', sql`points >= 0 and requested_points >= 0`)
    .addCheckConstraint('claims_quantity_check', sql`quantity_milli > 0`)
    .execute();
  await db.schema
    .createIndex('claims_queue_index')
    .on('claims')
    .columns(['municipality_id', 'status', 'submitted_at'])
    .execute();
  await db.schema
    .createIndex('claims_resident_index')
    .on('claims')
    .columns(['resident_id', 'activity_id', 'occurred_at'])
    .execute();
  await db.schema
    .createIndex('claims_household_index')
    .on('claims')
    .columns(['household_id', 'activity_id', 'occurred_at'])
    .execute();
  await db.schema
    .createIndex('claims_awarded_index')
    .on('claims')
    .columns(['municipality_id', 'activity_id', 'status', 'decided_at'])
    .execute();

  await db.schema
    .createTable('claim_photos')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('municipality_id', 'text', (c) =>
      c.notNull().references('municipalities.id').onDelete('restrict'),
    )
    .addColumn('resident_id', 'text', (c) =>
      c.notNull().references('residents.id').onDelete('restrict'),
    )
    .addColumn('claim_id', 'text', (c) => c.references('claims.id').onDelete('restrict'))
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('perceptual_hash', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('width', 'integer', (c) => c.notNull())
    .addColumn('height', 'integer', (c) => c.notNull())
    .addColumn('display', t.bytes, (c) => c.notNull())
    .addColumn('taken_at', t.timestamp)
    .addColumn('latitude', 'double precision')
    .addColumn('longitude', 'double precision')
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('claim_photos_sha_index')
    .on('claim_photos')
    .columns(['municipality_id', 'sha256'])
    .execute();
  await db.schema
    .createIndex('claim_photos_resident_index')
    .on('claim_photos')
    .columns(['resident_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('claim_photos_claim_index')
    .on('claim_photos')
    .columns(['claim_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'claim_photos',
    'claims',
    'earning_settings',
    'activity_versions',
    'activities',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
