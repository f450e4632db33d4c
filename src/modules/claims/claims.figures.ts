import type { ServiceContext } from '../../shared/context.js';
import type { Budget } from '../catalog/catalog.types.js';
import * as repo from './claims.figures.repository.js';
import { periodStart } from './limits.rules.js';

/**
 * What the participation figures (the analytics module) need from claims: aggregates of approved
 * claims by when they were decided — the moment their points were awarded. Only sums and distinct
 * counts leave this file, never a claim or a resident. These functions do not check who asks: the
 * caller decides whether the figures are for staff or for the public.
 */

export type AwardWindow = repo.Window;

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
  /** Which bucket of the boundaries (0-based). */
  bucket: number;
  claims: number;
  points: number;
  /** Thousandths of the activity's unit (kg, hour, item). */
  quantityMilli: number;
}

/** Counts of approved claims decided in each window [from, to) of the given activities. */
export async function countAwards(
  ctx: ServiceContext,
  municipalityId: string,
  activityIds: readonly string[],
  windows: readonly AwardWindow[],
): Promise<AwardCounts[]> {
  return repo.countInWindows(ctx.db, municipalityId, activityIds, windows);
}

/**
 * Approved claims per activity and bucket, `boundaries` being n + 1 ascending ISO instants that
 * cut time into n consecutive buckets; cells without claims are left out.
 */
export async function sumAwardsByActivity(
  ctx: ServiceContext,
  municipalityId: string,
  activityIds: readonly string[],
  boundaries: readonly string[],
): Promise<AwardCell[]> {
  return repo.sumByActivityAndBucket(ctx.db, municipalityId, activityIds, boundaries);
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
    const from = periodStart(period, now)?.toISOString() ?? null;
    const points = await repo.pointsSinceByActivity(ctx.db, municipalityId, ids, from);
    for (const id of ids) used.set(id, points.get(id) ?? 0);
  }
  return used;
}
