import { sql } from 'kysely';
import type { Db } from '../../storage/database.js';
import type { ClaimPhotosTable, ClaimsTable, EarningSettingsTable } from '../../storage/schema.js';
import type { VerificationMethod } from '../catalog/catalog.types.js';
import {
  type Claim,
  type ClaimFlag,
  DEFAULT_EARNING_SETTINGS,
  type EarningSettings,
  type RejectReason,
} from './claims.types.js';
import type { Usage } from './limits.types.js';

/** SQL for claims, their photos and the municipality's earning settings. */

export function toClaim(row: ClaimsTable, photoIds: string[] = []): Claim {
  return {
    id: row.id,
    municipalityId: row.municipality_id,
    activityId: row.activity_id,
    activityVersionId: row.activity_version_id,
    residentId: row.resident_id,
    householdId: row.household_id,
    source: row.source,
    partnerId: row.partner_id,
    method: row.method as VerificationMethod,
    quantity: row.quantity_milli / 1000,
    requestedPoints: row.requested_points,
    points: row.points,
    note: row.note,
    latitude: row.latitude,
    longitude: row.longitude,
    siteLocationId: row.site_location_id,
    occurredAt: row.occurred_at,
    submittedAt: row.submitted_at,
    status: row.status,
    risk: row.risk,
    flags: JSON.parse(row.flags) as ClaimFlag[],
    decidedAt: row.decided_at,
    decidedBy:
      row.decided_by && row.decided_by_kind
        ? { kind: row.decided_by_kind, id: row.decided_by }
        : null,
    rejectReason: row.reject_reason as RejectReason | null,
    decisionNote: row.decision_note,
    appealedAt: row.appealed_at,
    appealNote: row.appeal_note,
    transferId: row.transfer_id,
    photoIds,
  };
}

export async function insertClaim(db: Db, row: ClaimsTable) {
  await db.insertInto('claims').values(row).execute();
}

export async function updateClaim(db: Db, id: string, changes: Partial<ClaimsTable>) {
  await db.updateTable('claims').set(changes).where('id', '=', id).execute();
}

export async function findClaimRow(db: Db, municipalityId: string, id: string) {
  return db
    .selectFrom('claims')
    .selectAll()
    .where('municipality_id', '=', municipalityId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function findClaimByExternalKey(db: Db, municipalityId: string, key: string) {
  return db
    .selectFrom('claims')
    .selectAll()
    .where('municipality_id', '=', municipalityId)
    .where('external_key', '=', key)
    .executeTakeFirst();
}

/** Claims of one resident (or household) for one activity since `from`, by state. */
export async function usageOf(
  db: Db,
  by: { residentId: string } | { householdId: string },
  activityId: string,
  from: string | null,
  to: string | null,
  excludeClaimId: string | null,
): Promise<{ approved: Usage; waiting: Usage }> {
  let query = db
    .selectFrom('claims')
    .select((eb) => [
      'status',
      eb.fn.countAll<number>().as('count'),
      eb.fn
        .sum<number>(sql`case when status = 'approved' then points else requested_points end`)
        .as('points'),
    ])
    .where('activity_id', '=', activityId)
    .where('status', 'in', ['approved', 'submitted'])
    .groupBy('status');
  query =
    'residentId' in by
      ? query.where('resident_id', '=', by.residentId)
      : query.where('household_id', '=', by.householdId);
  if (from) query = query.where('occurred_at', '>=', from);
  if (to) query = query.where('occurred_at', '<', to);
  if (excludeClaimId) query = query.where('id', '!=', excludeClaimId);
  const rows = await query.execute();
  const pick = (status: string): Usage => {
    const row = rows.find((r) => r.status === status);
    return { count: Number(row?.count ?? 0), points: Number(row?.points ?? 0) };
  };
  return { approved: pick('approved'), waiting: pick('submitted') };
}

/** When the resident last claimed the activity (a claim approved or waiting), if ever. */
export async function lastClaimAt(
  db: Db,
  residentId: string,
  activityId: string,
  excludeClaimId: string | null,
): Promise<string | undefined> {
  let query = db
    .selectFrom('claims')
    .select('occurred_at')
    .where('resident_id', '=', residentId)
    .where('activity_id', '=', activityId)
    .where('status', 'in', ['approved', 'submitted'])
    .orderBy('occurred_at', 'desc')
    .limit(1);
  if (excludeClaimId) query = query.where('id', '!=', excludeClaimId);
  return (await query.executeTakeFirst())?.occurred_at;
}

/** Points awarded since `from`: for one activity (its budget) or one resident (the yearly cap). */
export async function awardedSince(
  db: Db,
  by: { activityId: string } | { residentId: string },
  from: string | null,
): Promise<number> {
  let query = db
    .selectFrom('claims')
    .select((eb) => eb.fn.sum<number>('points').as('points'))
    .where('status', '=', 'approved');
  query =
    'activityId' in by
      ? query.where('activity_id', '=', by.activityId)
      : query.where('resident_id', '=', by.residentId);
  if (from) query = query.where('decided_at', '>=', from);
  return Number((await query.executeTakeFirst())?.points ?? 0);
}

/** How many claims the resident sent since `since`. */
export async function claimsSince(db: Db, residentId: string, since: string): Promise<number> {
  const row = await db
    .selectFrom('claims')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('resident_id', '=', residentId)
    .where('submitted_at', '>=', since)
    .executeTakeFirst();
  return Number(row?.count ?? 0);
}

export interface ClaimFilter {
  status?: Claim['status'];
  activityId?: string;
  residentId?: string;
  risk?: Claim['risk'];
  from?: string;
  to?: string;
  sort: 'oldest' | 'newest' | 'risk';
  limit: number;
  offset: number;
}

/** A page of the municipality's claims, with the total count of the filter. */
export async function listClaims(db: Db, municipalityId: string, filter: ClaimFilter) {
  let query = db.selectFrom('claims').where('municipality_id', '=', municipalityId);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.activityId) query = query.where('activity_id', '=', filter.activityId);
  if (filter.residentId) query = query.where('resident_id', '=', filter.residentId);
  if (filter.risk) query = query.where('risk', '=', filter.risk);
  if (filter.from) query = query.where('submitted_at', '>=', filter.from);
  if (filter.to) query = query.where('submitted_at', '<', filter.to);
  const total = await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
  let rows = query.selectAll();
  if (filter.sort === 'risk') {
    rows = rows
      .orderBy(sql`case risk when 'high' then 0 when 'medium' then 1 when 'low' then 2 else 3 end`)
      .orderBy('submitted_at', 'asc');
  } else {
    rows = rows.orderBy('submitted_at', filter.sort === 'oldest' ? 'asc' : 'desc');
  }
  const items = await rows.orderBy('id').limit(filter.limit).offset(filter.offset).execute();
  return { total: Number(total?.n ?? 0), items };
}

export async function listClaimsOfResident(db: Db, residentId: string, limit: number) {
  return db
    .selectFrom('claims')
    .selectAll()
    .where('resident_id', '=', residentId)
    .orderBy('submitted_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

// Photos

export async function insertPhoto(db: Db, row: ClaimPhotosTable) {
  await db.insertInto('claim_photos').values(row).execute();
}

/** How many photos the resident uploaded since `since` that no claim uses. */
export async function countUnusedPhotos(db: Db, residentId: string, since: string) {
  const row = await db
    .selectFrom('claim_photos')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('resident_id', '=', residentId)
    .where('claim_id', 'is', null)
    .where('task_claim_id', 'is', null)
    .where('created_at', '>=', since)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function findPhoto(db: Db, municipalityId: string, id: string) {
  return db
    .selectFrom('claim_photos')
    .selectAll()
    .where('municipality_id', '=', municipalityId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function findPhotosMeta(db: Db, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('claim_photos')
    .select([
      'id',
      'municipality_id',
      'resident_id',
      'claim_id',
      'task_claim_id',
      'sha256',
      'perceptual_hash',
      'taken_at',
      'latitude',
      'longitude',
    ])
    .where('id', 'in', ids)
    .execute();
}

export async function attachPhotos(db: Db, claimId: string, ids: readonly string[]) {
  if (ids.length === 0) return;
  await db.updateTable('claim_photos').set({ claim_id: claimId }).where('id', 'in', ids).execute();
}

/** Marks photos as a task claim's proof; only photos no claim or task uses yet. How many moved. */
export async function attachTaskPhotos(db: Db, taskClaimId: string, ids: readonly string[]) {
  if (ids.length === 0) return 0;
  const result = await db
    .updateTable('claim_photos')
    .set({ task_claim_id: taskClaimId })
    .where('id', 'in', ids)
    .where('claim_id', 'is', null)
    .where('task_claim_id', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function photoIdsOfClaims(db: Db, claimIds: readonly string[]) {
  if (claimIds.length === 0) return new Map<string, string[]>();
  const rows = await db
    .selectFrom('claim_photos')
    .select(['id', 'claim_id'])
    .where('claim_id', 'in', claimIds)
    .orderBy('id')
    .execute();
  const byClaim = new Map<string, string[]>();
  for (const row of rows) {
    const list = byClaim.get(row.claim_id!) ?? [];
    list.push(row.id);
    byClaim.set(row.claim_id!, list);
  }
  return byClaim;
}

/**
 * An earlier claim's (or task claim's) photo with these exact bytes, in the municipality;
 * `claim_id` names whichever used it.
 */
export async function findAttachedPhotoBySha(db: Db, municipalityId: string, sha256: string) {
  return db
    .selectFrom('claim_photos')
    .select((eb) => ['id', eb.fn.coalesce('claim_id', 'task_claim_id').as('claim_id')])
    .where('municipality_id', '=', municipalityId)
    .where('sha256', '=', sha256)
    .where((eb) => eb.or([eb('claim_id', 'is not', null), eb('task_claim_id', 'is not', null)]))
    .orderBy('id')
    .executeTakeFirst();
}

/** The perceptual hashes of every photo a claim or a task claim used in the municipality. */
export async function listAttachedHashes(db: Db, municipalityId: string) {
  return db
    .selectFrom('claim_photos')
    .select((eb) => [
      'id',
      eb.fn.coalesce('claim_id', 'task_claim_id').as('claim_id'),
      'perceptual_hash',
    ])
    .where('municipality_id', '=', municipalityId)
    .where((eb) => eb.or([eb('claim_id', 'is not', null), eb('task_claim_id', 'is not', null)]))
    .execute();
}

// Settings

export async function findSettings(db: Db, municipalityId: string): Promise<EarningSettings> {
  const row = await db
    .selectFrom('earning_settings')
    .selectAll()
    .where('municipality_id', '=', municipalityId)
    .executeTakeFirst();
  if (!row) return { ...DEFAULT_EARNING_SETTINGS };
  return {
    yearlyCapPoints: row.yearly_cap_points,
    newAccountDays: row.new_account_days,
    velocityMaxClaims: row.velocity_max_claims,
    velocityWindowMinutes: row.velocity_window_minutes,
    photoMaxHoursApart: row.photo_max_hours_apart,
  };
}

export async function saveSettings(db: Db, row: EarningSettingsTable) {
  const { municipality_id: _m, ...changes } = row;
  await db
    .insertInto('earning_settings')
    .values(row)
    .onConflict((oc) => oc.column('municipality_id').doUpdateSet(changes))
    .execute();
}
