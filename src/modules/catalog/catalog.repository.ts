import type { Db } from '../../storage/database.js';
import type { ActivitiesTable, ActivityVersionsTable } from '../../storage/schema.js';
import type { ActivityTerms, ActivityVersion } from './catalog.types.js';

/** SQL for activities and their versions. */

export type ActivityRow = ActivitiesTable;

export function toVersion(row: ActivityVersionsTable): ActivityVersion {
  const terms = JSON.parse(row.terms) as ActivityTerms;
  return {
    ...terms,
    id: row.id,
    activityId: row.activity_id,
    effectiveFrom: row.effective_from,
    createdAt: row.created_at,
  };
}

export async function insertActivity(db: Db, row: ActivitiesTable) {
  await db.insertInto('activities').values(row).execute();
}

export async function insertVersion(db: Db, row: ActivityVersionsTable) {
  await db.insertInto('activity_versions').values(row).execute();
}

/** Replaces the terms of a version that has not taken effect (no claim can refer to it yet). */
export async function replaceVersionTerms(db: Db, id: string, terms: string, by: string) {
  await db
    .updateTable('activity_versions')
    .set({ terms, created_by: by })
    .where('id', '=', id)
    .execute();
}

export async function touchActivity(
  db: Db,
  id: string,
  changes: Partial<Pick<ActivitiesTable, 'status'>> & { updated_at: string },
) {
  await db.updateTable('activities').set(changes).where('id', '=', id).execute();
}

export async function findActivity(db: Db, municipalityId: string, id: string) {
  return db
    .selectFrom('activities')
    .selectAll()
    .where('municipality_id', '=', municipalityId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function findActivityByCode(db: Db, municipalityId: string, code: string) {
  return db
    .selectFrom('activities')
    .selectAll()
    .where('municipality_id', '=', municipalityId)
    .where('code', '=', code)
    .executeTakeFirst();
}

export async function listActivities(db: Db, municipalityId: string) {
  return db
    .selectFrom('activities')
    .selectAll()
    .where('municipality_id', '=', municipalityId)
    .orderBy('code')
    .execute();
}

export async function listVersionsOf(db: Db, activityIds: readonly string[]) {
  if (activityIds.length === 0) return [];
  const rows = await db
    .selectFrom('activity_versions')
    .selectAll()
    .where('activity_id', 'in', activityIds)
    .orderBy('effective_from')
    .execute();
  return rows.map(toVersion);
}

export async function findVersion(db: Db, municipalityId: string, id: string) {
  const row = await db
    .selectFrom('activity_versions')
    .selectAll()
    .where('municipality_id', '=', municipalityId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row && toVersion(row);
}
