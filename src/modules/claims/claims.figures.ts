import { monthOf } from '../../shared/calendar.js';
import type { ServiceContext } from '../../shared/context.js';
import type { Budget } from '../catalog/catalog.types.js';
import * as repo from './claims.figures.repository.js';
import { periodStart } from './limits.rules.js';

/**
 * What the participation figures (the analytics module) need from claims: aggregates of approved
 * claims by the Brussels month or year they were decided in — the moment their points were
 * awarded — read from the roll-up kept on approval (migration 0026). Only sums and distinct
 * counts leave this file, never a claim or a resident. These functions do not check who asks: the
 * caller decides whether the figures are for staff or for the public.
 */

export interface AwardCounts {
  /** Distinct households with an approved claim; a resident without household counts as one. */
  households: number;
  /** Distinct residents with an approved claim. */
  residents: number;
  points: number;
  claims: number;
}

export interface AwardCell {
  activityId: string;
  /** Which month of the months asked for (0-based). */
  bucket: number;
  claims: number;
  points: number;
  /** Thousandths of the activity's unit (kg, hour, item). */
  quantityMilli: number;
}

/**
 * Counts of approved claims decided in each period: a Brussels month `YYYY-MM` or year `YYYY`
 * (periods may overlap: months and their year).
 */
export async function countAwards(
  ctx: ServiceContext,
  municipalityId: string,
  periods: readonly string[],
): Promise<AwardCounts[]> {
  if (periods.length === 0) return [];
  const members = await repo.membersInPeriods(ctx.db, municipalityId, periods);
  const firstMonths = periods.map((p) => (p.length === 4 ? `${p}-01` : p)).sort();
  const lastMonths = periods.map((p) => (p.length === 4 ? `${p}-12` : p)).sort();
  const cells = await repo.activityMonths(
    ctx.db,
    municipalityId,
    firstMonths[0]!,
    lastMonths.at(-1)!,
  );
  return periods.map((period) => {
    let points = 0;
    let claims = 0;
    for (const cell of cells) {
      if (period.length === 4 ? !cell.month.startsWith(period) : cell.month !== period) continue;
      points += cell.points;
      claims += cell.claims;
    }
    const counted = members.get(period);
    return {
      households: counted?.households ?? 0,
      residents: counted?.residents ?? 0,
      points,
      claims,
    };
  });
}

/**
 * Approved claims per activity and month of `months` (consecutive `YYYY-MM`, oldest first;
 * bucket i is months[i]); cells without claims are left out.
 */
export async function sumAwardsByActivity(
  ctx: ServiceContext,
  municipalityId: string,
  months: readonly string[],
): Promise<AwardCell[]> {
  if (months.length === 0) return [];
  const bucketOf = new Map(months.map((month, i) => [month, i]));
  const cells = await repo.activityMonths(ctx.db, municipalityId, months[0]!, months.at(-1)!);
  return cells
    .filter((cell) => bucketOf.has(cell.month))
    .map((cell) => ({
      activityId: cell.activityId,
      bucket: bucketOf.get(cell.month)!,
      claims: cell.claims,
      points: cell.points,
      quantityMilli: cell.quantityMilli,
    }));
}

/**
 * Points each activity with a budget has awarded in its current budget period at `now` (the
 * same window the limit check uses); activities without a budget are left out.
 */
export async function budgetUse(
  ctx: ServiceContext,
  municipalityId: string,
  activities: readonly { id: string; budget: Budget | null }[],
  now: Date,
): Promise<Map<string, number>> {
  const byPeriod = new Map<Budget['period'], string[]>();
  for (const { id, budget } of activities) {
    if (!budget) continue;
    byPeriod.set(budget.period, [...(byPeriod.get(budget.period) ?? []), id]);
  }
  const used = new Map<string, number>();
  for (const [period, ids] of byPeriod) {
    const from = periodStart(period, now);
    // Budget periods (month, year, lifetime) start on a month boundary: the roll-up's months
    // add up to them exactly.
    const points = await repo.pointsSinceMonthByActivity(
      ctx.db,
      municipalityId,
      ids,
      from === null ? null : monthOf(from),
    );
    for (const id of ids) used.set(id, points.get(id) ?? 0);
  }
  return used;
}
