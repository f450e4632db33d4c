import type { Kysely, Selectable } from 'kysely';
import type { AreaAlertsTable, Database } from '../../storage/schema.js';
import type { AreaAlert } from './alerts.types.js';

type Row = Selectable<AreaAlertsTable> & { area_municipality_slug: string | null };

function toAlert(row: Row): AreaAlert {
  return {
    id: row.id,
    municipalityId: row.municipality_id,
    residentId: row.resident_id,
    area:
      row.area_kind === 'circle'
        ? {
            kind: 'circle',
            latitude: row.latitude!,
            longitude: row.longitude!,
            radiusM: row.radius_m!,
          }
        : {
            kind: 'municipality',
            municipalityId: row.area_municipality_id!,
            municipalitySlug: row.area_municipality_slug!,
          },
    tasks: Boolean(row.include_tasks),
    reports: Boolean(row.include_reports),
    frequency: row.frequency,
    createdAt: row.created_at,
    nextDigestAt: row.next_digest_at,
    lastSentAt: row.last_sent_at,
  };
}

function selectAlerts(db: Kysely<Database>) {
  return db
    .selectFrom('area_alerts')
    .leftJoin('municipalities', 'municipalities.id', 'area_alerts.area_municipality_id')
    .selectAll('area_alerts')
    .select('municipalities.slug as area_municipality_slug');
}

export async function insertAlert(db: Kysely<Database>, row: AreaAlertsTable): Promise<void> {
  await db.insertInto('area_alerts').values(row).execute();
}

export async function countAlertsOf(db: Kysely<Database>, residentId: string): Promise<number> {
  const row = await db
    .selectFrom('area_alerts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('resident_id', '=', residentId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function listAlertsOf(db: Kysely<Database>, residentId: string): Promise<AreaAlert[]> {
  const rows = await selectAlerts(db)
    .where('area_alerts.resident_id', '=', residentId)
    .orderBy('area_alerts.id')
    .execute();
  return rows.map(toAlert);
}

export async function findAlert(db: Kysely<Database>, id: string): Promise<AreaAlert | undefined> {
  const row = await selectAlerts(db).where('area_alerts.id', '=', id).executeTakeFirst();
  return row && toAlert(row);
}

/** Deletes the alert; true when it was there. */
export async function deleteAlert(db: Kysely<Database>, id: string): Promise<boolean> {
  const result = await db.deleteFrom('area_alerts').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function deleteAlertsOf(db: Kysely<Database>, residentId: string): Promise<number> {
  const result = await db
    .deleteFrom('area_alerts')
    .where('resident_id', '=', residentId)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Alerts whose digest is due at `now`, the longest-waiting first. */
export async function listDueAlerts(
  db: Kysely<Database>,
  now: string,
  limit: number,
): Promise<(AreaAlert & { coveredUntil: string })[]> {
  const rows = await selectAlerts(db)
    .where('area_alerts.next_digest_at', '<=', now)
    .orderBy('area_alerts.next_digest_at')
    .limit(limit)
    .execute();
  return rows.map((row) => ({ ...toAlert(row), coveredUntil: row.covered_until }));
}

/**
 * Takes the digest of `(coveredUntil, until]` for this alert: moves its period on only if no one
 * else did (the same `next_digest_at` as read), so across processes each period is taken once.
 */
export async function takeDigest(
  db: Kysely<Database>,
  input: { id: string; dueAt: string; until: string; nextDigestAt: string },
): Promise<boolean> {
  const result = await db
    .updateTable('area_alerts')
    .set({ covered_until: input.until, next_digest_at: input.nextDigestAt })
    .where('id', '=', input.id)
    .where('next_digest_at', '=', input.dueAt)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function markSent(db: Kysely<Database>, id: string, at: string): Promise<void> {
  await db.updateTable('area_alerts').set({ last_sent_at: at }).where('id', '=', id).execute();
}
