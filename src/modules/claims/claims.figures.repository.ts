import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../../storage/database.js';

/**
 * Read-only aggregates of approved claims for the participation figures. Every query filters on
 * municipality, the listed activities, status 'approved' and a decided_at range, which is exactly
 * the claims_awarded_index (municipality_id, activity_id, status, decided_at): the database seeks
 * per activity instead of scanning the municipality's claims. Time buckets are computed in JS and
 * passed as ISO instants (text on SQLite, timestamptz on PostgreSQL compare the same way), so no
 * dialect-specific date function is needed.
 */

/** A half-open window [from, to) of ISO-8601 UTC instants. */
export interface Window {
  from: string;
  to: string;
}

export interface WindowRow {
  households: number;
  residents: number;
  points: number;
  claims: number;
}

export interface BucketRow {
  activityId: string;
  bucket: number;
  claims: number;
  points: number;
  quantityMilli: number;
}

// The household a claim counts for: a resident without one is a household of one. Household and
// resident ids carry different prefixes, so the two never collide.
const householdKey = sql`coalesce(household_id, resident_id)`;

function inWindow(window: Window): RawBuilder<boolean> {
  return sql<boolean>`decided_at >= ${window.from} and decided_at < ${window.to}`;
}

function approvedOf(db: Db, municipalityId: string, activityIds: readonly string[], span: Window) {
  return db
    .selectFrom('claims')
    .where('municipality_id', '=', municipalityId)
    .where('activity_id', 'in', activityIds)
    .where('status', '=', 'approved')
    .where('decided_at', '>=', span.from)
    .where('decided_at', '<', span.to);
}

/**
 * Distinct households, distinct residents, points and claims per window (windows may overlap:
 * months and their year), in one pass: count(distinct case … end) ignores the nulls of claims
 * outside a window.
 */
export async function countInWindows(
  db: Db,
  municipalityId: string,
  activityIds: readonly string[],
  windows: readonly Window[],
): Promise<WindowRow[]> {
  const empty = windows.map(() => ({ households: 0, residents: 0, points: 0, claims: 0 }));
  if (activityIds.length === 0 || windows.length === 0) return empty;
  // ISO instants sort as text; every window's from precedes its to.
  const edges = windows.flatMap((w) => [w.from, w.to]).sort();
  const span = { from: edges[0]!, to: edges.at(-1)! };
  const row = await approvedOf(db, municipalityId, activityIds, span)
    .select(
      windows.flatMap((window, i) => [
        sql<number>`count(distinct case when ${inWindow(window)} then ${householdKey} end)`.as(
          `h${i}`,
        ),
        sql<number>`count(distinct case when ${inWindow(window)} then resident_id end)`.as(`r${i}`),
        sql<number>`sum(case when ${inWindow(window)} then points else 0 end)`.as(`p${i}`),
        sql<number>`sum(case when ${inWindow(window)} then 1 else 0 end)`.as(`c${i}`),
      ]),
    )
    .executeTakeFirst();
  if (!row) return empty;
  const values = row as Record<string, unknown>;
  return windows.map((_, i) => ({
    households: Number(values[`h${i}`] ?? 0),
    residents: Number(values[`r${i}`] ?? 0),
    points: Number(values[`p${i}`] ?? 0),
    claims: Number(values[`c${i}`] ?? 0),
  }));
}

/**
 * Claims, points and quantity per activity and per bucket, where `boundaries` (ascending, n + 1
 * instants) cut [boundaries[0], boundaries[n]) into n consecutive buckets numbered 0…n−1.
 */
export async function sumByActivityAndBucket(
  db: Db,
  municipalityId: string,
  activityIds: readonly string[],
  boundaries: readonly string[],
): Promise<BucketRow[]> {
  if (activityIds.length === 0 || boundaries.length < 2) return [];
  const cases = boundaries
    .slice(1, -1)
    .map((edge, i) => sql`when decided_at < ${edge} then ${sql.lit(i)}`);
  const last = sql.lit(boundaries.length - 2);
  // One bucket has no edge inside it, and `case else … end` is not SQL.
  const bucket =
    cases.length === 0
      ? sql<number>`${last}`
      : sql<number>`case ${sql.join(cases, sql` `)} else ${last} end`;
  const rows = await approvedOf(db, municipalityId, activityIds, {
    from: boundaries[0]!,
    to: boundaries.at(-1)!,
  })
    .select((eb) => [
      'activity_id',
      bucket.as('bucket'),
      eb.fn.countAll<number>().as('claims'),
      eb.fn.sum<number>('points').as('points'),
      eb.fn.sum<number>('quantity_milli').as('quantity_milli'),
    ])
    .groupBy(['activity_id', sql`bucket`])
    .execute();
  return rows.map((row) => ({
    activityId: row.activity_id,
    bucket: Number(row.bucket),
    claims: Number(row.claims),
    points: Number(row.points ?? 0),
    quantityMilli: Number(row.quantity_milli ?? 0),
  }));
}

/** Points awarded per activity since `from` (null: ever), for the budgets. */
export async function pointsSinceByActivity(
  db: Db,
  municipalityId: string,
  activityIds: readonly string[],
  from: string | null,
): Promise<Map<string, number>> {
  if (activityIds.length === 0) return new Map();
  let query = db
    .selectFrom('claims')
    .select((eb) => ['activity_id', eb.fn.sum<number>('points').as('points')])
    .where('municipality_id', '=', municipalityId)
    .where('activity_id', 'in', activityIds)
    .where('status', '=', 'approved');
  if (from !== null) query = query.where('decided_at', '>=', from);
  const rows = await query.groupBy('activity_id').execute();
  return new Map(rows.map((row) => [row.activity_id, Number(row.points ?? 0)]));
}
