import type { Db } from '../../storage/database.js';

/**
 * Read-only aggregates of approved claims for the participation figures, from the roll-up the
 * approval keeps (claims.awards.repository.ts, migration 0026): a dashboard reads a few dozen
 * rows whatever the number of claims; so do the activity budgets (months, years, lifetime).
 */

export interface PeriodRow {
  households: number;
  residents: number;
}

export interface ActivityMonthRow {
  activityId: string;
  month: string;
  claims: number;
  points: number;
  quantityMilli: number;
}

/** Distinct households and residents per period (`YYYY-MM` or `YYYY`); absent periods left out. */
export async function membersInPeriods(
  db: Db,
  municipalityId: string,
  periods: readonly string[],
): Promise<Map<string, PeriodRow>> {
  if (periods.length === 0) return new Map();
  const rows = await db
    .selectFrom('award_periods')
    .select(['period', 'households', 'residents'])
    .where('municipality_id', '=', municipalityId)
    .where('period', 'in', periods)
    .execute();
  return new Map(
    rows.map((row) => [
      row.period,
      { households: Number(row.households), residents: Number(row.residents) },
    ]),
  );
}

/** Claims, points and quantity per activity and month for months in [from, to] (`YYYY-MM`). */
export async function activityMonths(
  db: Db,
  municipalityId: string,
  from: string,
  to: string,
): Promise<ActivityMonthRow[]> {
  const rows = await db
    .selectFrom('award_activity_months')
    .select(['activity_id', 'month', 'claims', 'points', 'quantity_milli'])
    .where('municipality_id', '=', municipalityId)
    .where('month', '>=', from)
    .where('month', '<=', to)
    .execute();
  return rows.map((row) => ({
    activityId: row.activity_id,
    month: row.month,
    claims: Number(row.claims),
    points: Number(row.points),
    quantityMilli: Number(row.quantity_milli),
  }));
}

/** Points awarded per activity from the month `from` on (null: ever), from the roll-up. */
export async function pointsSinceMonthByActivity(
  db: Db,
  municipalityId: string,
  activityIds: readonly string[],
  from: string | null,
): Promise<Map<string, number>> {
  if (activityIds.length === 0) return new Map();
  let query = db
    .selectFrom('award_activity_months')
    .select((eb) => ['activity_id', eb.fn.sum<number>('points').as('points')])
    .where('municipality_id', '=', municipalityId)
    .where('activity_id', 'in', activityIds);
  if (from !== null) query = query.where('month', '>=', from);
  const rows = await query.groupBy('activity_id').execute();
  return new Map(rows.map((row) => [row.activity_id, Number(row.points ?? 0)]));
}
