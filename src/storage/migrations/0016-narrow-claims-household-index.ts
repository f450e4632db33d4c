import { type Kysely, sql } from 'kysely';

/**
 * The claims index by household leaves out claims without a household: the limits look claims
 * up by a household id (never by a missing one), so those entries were never read, yet every
 * claim of a resident without a household was filed under NULL, at a random place (by activity
 * and time) — one page written per imported claim for nothing.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('claims_household_index').execute();
  await db.schema
    .createIndex('claims_household_index')
    .on('claims')
    .columns(['household_id', 'activity_id', 'occurred_at'])
    .where(sql.ref('household_id'), 'is not', null)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('claims_household_index').execute();
  await db.schema
    .createIndex('claims_household_index')
    .on('claims')
    .columns(['household_id', 'activity_id', 'occurred_at'])
    .execute();
}
