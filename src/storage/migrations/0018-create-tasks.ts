import { type Kysely, sql } from 'kysely';
import { columnTypes } from '../column-types.js';

/**
 * Tasks: small public jobs a municipality posts with a bounty (pick up litter in a park, clear a
 * branch from a cycle path), the slots residents claim on them, and which proof photos a task
 * claim used.
 *
 * A task has a center point and either a radius or an area (a GeoJSON polygon, whose center is
 * its vertices' mean and whose `extent_meters` reaches its farthest vertex); `cell` is the center's
 * key in the fixed 0.01° grid of src/shared/geo-grid.ts, indexed with the status so "open tasks
 * near here" reads only the covering cells on both databases.
 *
 * Slots are never oversold, under any concurrency, on either database: `slots_taken` counts the
 * claims that hold a slot and only moves by a conditional update (`slots_taken < slots`) that
 * PostgreSQL serializes on the task's row lock and SQLite on its single writer; the CHECK makes
 * a count above `slots` impossible whatever the code does, and partial unique indexes allow one
 * held claim per (task, slot number) and per (task, resident).
 *
 * `source_report_id` names the report a task was made from; reports live in another migration
 * (0017), so it carries no foreign key.
 */

/** Claims in these states hold a slot; the partial unique indexes apply to them. */
const HOLDING = sql<boolean>`status in ('claimed', 'completed')`;

export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);
  await db.schema
    .createTable('tasks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('municipality_id', 'text', (c) =>
      c.notNull().references('municipalities.id').onDelete('restrict'),
    )
    .addColumn('status', 'text', (c) => c.notNull())
    // Title, description, safety notes and where to collect materials, each in nl/fr/de/en.
    .addColumn('texts', t.json, (c) => c.notNull())
    .addColumn('latitude', 'double precision', (c) => c.notNull())
    .addColumn('longitude', 'double precision', (c) => c.notNull())
    // Exactly one of the two: a radius around the point, or an area (GeoJSON Polygon).
    .addColumn('radius_meters', 'integer')
    .addColumn('area', t.json)
    .addColumn('extent_meters', 'integer', (c) => c.notNull())
    .addColumn('cell', 'integer', (c) => c.notNull())
    .addColumn('bounty_points', 'integer', (c) => c.notNull())
    .addColumn('slots', 'integer', (c) => c.notNull())
    .addColumn('slots_taken', 'integer', (c) => c.notNull())
    .addColumn('window_start', t.timestamp, (c) => c.notNull())
    .addColumn('window_end', t.timestamp, (c) => c.notNull())
    // How long a claimed slot is held for its resident before it lapses.
    .addColumn('hold_hours', 'integer', (c) => c.notNull())
    .addColumn('estimated_minutes', 'integer', (c) => c.notNull())
    .addColumn('proof_before_photo', 'integer', (c) => c.notNull())
    .addColumn('proof_after_photo', 'integer', (c) => c.notNull())
    .addColumn('proof_location', 'integer', (c) => c.notNull())
    // Staff affirmed that the task suits volunteers and does not replace paid municipal work.
    .addColumn('volunteer_suitable', 'integer', (c) => c.notNull())
    .addColumn('source_report_id', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('published_at', t.timestamp)
    .addCheckConstraint(
      'tasks_status_check',
      sql`status in ('draft', 'open', 'closed', 'cancelled')`,
    )
    .addCheckConstraint(
      'tasks_place_check',
      sql`(radius_meters is null) <> (area is null) and (radius_meters is null or radius_meters > 0) and extent_meters > 0`,
    )
    .addCheckConstraint(
      'tasks_slots_check',
      sql`slots > 0 and slots_taken >= 0 and slots_taken <= slots`,
    )
    .addCheckConstraint(
      'tasks_numbers_check',
      sql`bounty_points > 0 and hold_hours > 0 and estimated_minutes > 0 and window_start < window_end`,
    )
    .addCheckConstraint(
      'tasks_flags_check',
      sql`proof_before_photo in (0, 1) and proof_after_photo in (0, 1) and proof_location in (0, 1) and volunteer_suitable = 1`,
    )
    .execute();
  await db.schema
    .createIndex('tasks_nearby_index')
    .on('tasks')
    .columns(['status', 'cell'])
    .execute();
  await db.schema
    .createIndex('tasks_municipality_index')
    .on('tasks')
    .columns(['municipality_id', 'status', 'created_at'])
    .execute();

  await db.schema
    .createTable('task_claims')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('municipality_id', 'text', (c) =>
      c.notNull().references('municipalities.id').onDelete('restrict'),
    )
    .addColumn('task_id', 'text', (c) => c.notNull().references('tasks.id').onDelete('restrict'))
    .addColumn('resident_id', 'text', (c) =>
      c.notNull().references('residents.id').onDelete('restrict'),
    )
    .addColumn('slot_number', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('claimed_at', t.timestamp, (c) => c.notNull())
    .addColumn('expires_at', t.timestamp, (c) => c.notNull())
    .addColumn('released_at', t.timestamp)
    .addColumn('completed_at', t.timestamp)
    // The proof sent: photo ids (before, after), the device's location, and the checks' flags.
    .addColumn('proof', t.json)
    .addColumn('outcome', 'text')
    .addColumn('decided_at', t.timestamp)
    .addColumn('decided_by', 'text')
    .addColumn('decision_note', 'text')
    .addColumn('transfer_id', 'text')
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addCheckConstraint(
      'task_claims_status_check',
      sql`status in ('claimed', 'released', 'lapsed', 'completed', 'rejected')`,
    )
    .addCheckConstraint(
      'task_claims_outcome_check',
      sql`outcome is null or outcome in ('approved', 'review', 'rejected')`,
    )
    .addCheckConstraint('task_claims_slot_check', sql`slot_number > 0`)
    .execute();
  await db.schema
    .createIndex('task_claims_slot_unique')
    .on('task_claims')
    .columns(['task_id', 'slot_number'])
    .unique()
    .where(HOLDING)
    .execute();
  await db.schema
    .createIndex('task_claims_resident_unique')
    .on('task_claims')
    .columns(['task_id', 'resident_id'])
    .unique()
    .where(HOLDING)
    .execute();
  await db.schema
    .createIndex('task_claims_resident_index')
    .on('task_claims')
    .columns(['resident_id', 'claimed_at'])
    .execute();
  await db.schema
    .createIndex('task_claims_due_index')
    .on('task_claims')
    .columns(['status', 'expires_at'])
    .execute();

  // A photo used as a task's proof counts as used, like one attached to a claim: the reuse check
  // compares new photos with both. No foreign key: SQLite cannot drop such a column again (down).
  await db.schema.alterTable('claim_photos').addColumn('task_claim_id', 'text').execute();
  await db.schema
    .createIndex('claim_photos_task_claim_index')
    .on('claim_photos')
    .columns(['task_claim_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('claim_photos_task_claim_index').execute();
  await db.schema.alterTable('claim_photos').dropColumn('task_claim_id').execute();
  await db.schema.dropTable('task_claims').execute();
  await db.schema.dropTable('tasks').execute();
}
