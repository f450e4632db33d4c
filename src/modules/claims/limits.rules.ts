import { CALENDAR_TIME_ZONE, periodEnd, periodStart } from '../../shared/calendar.js';
import type { LimitPeriod, LimitScope, Points } from '../catalog/catalog.types.js';
import type { LimitCheckInput, LimitCheckResult, LimitViolation, Usage } from './limits.types.js';

/** Pure limit rules of claims: period windows, the limit check, points for a quantity. No I/O. */

/** Periods are calendar periods where the municipalities are, whatever the server's zone. */
export const EARNING_TIME_ZONE = CALENDAR_TIME_ZONE;
export { periodEnd, periodStart };
/** The largest quantity one claim may carry, in units (kg, hours, items). */
export const MAX_QUANTITY_UNITS = 1_000_000;

const NO_USAGE: Usage = { count: 0, points: 0 };

/** The key of a limit's usage in `UsageByLimit`, e.g. `household:year`. */
export function limitKey(scope: LimitScope, period: LimitPeriod): string {
  return `${scope}:${period}`;
}

/**
 * Decides what a claim may earn under its limits: violations are listed count limits first (in
 * the order of `limits`), then cooldown, points limits, budget, yearly cap. Any violation makes
 * the award 0; otherwise the award is the request lowered to the smallest points left (`capped`).
 * A request of 0 points or less earns 0 with no violations.
 */
export function checkLimits(input: LimitCheckInput): LimitCheckResult {
  const requested = Math.floor(input.requestedPoints);
  if (!Number.isFinite(requested) || requested <= 0) {
    return { awardPoints: 0, capped: false, violations: [] };
  }
  const usageOf = (scope: LimitScope, period: LimitPeriod): Usage =>
    input.usage[limitKey(scope, period)] ?? NO_USAGE;

  const refusals: LimitViolation[] = [];
  for (const limit of input.limits) {
    if (
      limit.maxCount !== undefined &&
      usageOf(limit.scope, limit.period).count + 1 > limit.maxCount
    ) {
      refusals.push({
        code: 'count_limit',
        scope: limit.scope,
        period: limit.period,
        max: limit.maxCount,
      });
    }
  }
  if (
    input.cooldownSeconds > 0 &&
    input.secondsSinceLast !== null &&
    input.secondsSinceLast < input.cooldownSeconds
  ) {
    refusals.push({
      code: 'cooldown',
      secondsLeft: Math.ceil(input.cooldownSeconds - input.secondsSinceLast),
    });
  }

  // Floored so a fractional remainder cannot produce a fractional award or an award of 0 without
  // a violation.
  let award = requested;
  const spent: LimitViolation[] = [];
  for (const limit of input.limits) {
    if (limit.maxPoints === undefined) continue;
    const left = Math.floor(limit.maxPoints - usageOf(limit.scope, limit.period).points);
    if (left <= 0) {
      spent.push({
        code: 'points_limit',
        scope: limit.scope,
        period: limit.period,
        max: limit.maxPoints,
      });
    }
    award = Math.min(award, left);
  }
  if (input.budget !== null) {
    const left = Math.floor(input.budget.points - input.budgetUsed);
    if (left <= 0) spent.push({ code: 'budget_spent', left: 0 });
    award = Math.min(award, left);
  }
  if (input.yearlyCap !== null) {
    const left = Math.floor(input.yearlyCap - input.yearlyUsed);
    if (left <= 0) spent.push({ code: 'yearly_cap', left: 0 });
    award = Math.min(award, left);
  }

  const violations = [...refusals, ...spent];
  if (violations.length > 0) return { awardPoints: 0, capped: false, violations };
  return { awardPoints: award, capped: award < requested, violations };
}

/**
 * Points a claim earns for a quantity in thousandths of a unit: the fixed amount whatever the
 * quantity, or the whole points of quantity × points per unit, at most the maximum per claim;
 * 0 for a quantity or rate that is not a positive integer.
 */
export function pointsForQuantity(points: Points, quantityMilli: number): number {
  if (points.mode === 'fixed') return points.points;
  const { pointsPerUnit, maxPointsPerClaim } = points;
  if (
    !Number.isSafeInteger(quantityMilli) ||
    !Number.isSafeInteger(pointsPerUnit) ||
    quantityMilli <= 0 ||
    pointsPerUnit <= 0 ||
    !(maxPointsPerClaim >= 1)
  ) {
    return 0;
  }
  // BigInt because quantity × rate can pass 2^53 while the result stays small.
  const earned = (BigInt(quantityMilli) * BigInt(pointsPerUnit)) / 1000n;
  const cap = Math.floor(maxPointsPerClaim);
  return earned < cap ? Number(earned) : cap;
}

/**
 * A quantity in units as an integer of thousandths; null when it is not a finite positive number
 * with at most 3 decimals or when it is above MAX_QUANTITY_UNITS.
 */
export function toQuantityMilli(quantity: number): number | null {
  if (!Number.isFinite(quantity) || quantity <= 0 || quantity > MAX_QUANTITY_UNITS) return null;
  const milli = Math.round(quantity * 1000);
  // Accepts exactly the numbers that are the nearest double to some decimal with 3 places.
  return milli > 0 && milli / 1000 === quantity ? milli : null;
}
