import type { LimitPeriod, Points } from '../catalog/catalog.types.js';
import type { LimitCheckInput, LimitCheckResult, LimitViolation } from './limits.types.js';

/**
 * Slow, obvious versions of limits.rules.ts for the property tests, written another way on
 * purpose: the award is found by handing out points one at a time, period bounds by searching
 * for the instant where the local calendar label changes. Not for production use.
 */

/** The limit check by simulation: grant one point at a time while every cap still has room. */
export function referenceCheckLimits(input: LimitCheckInput): LimitCheckResult {
  if (!(input.requestedPoints >= 1)) return { awardPoints: 0, capped: false, violations: [] };
  const used = (scope: string, period: string) =>
    input.usage[`${scope}:${period}`] ?? { count: 0, points: 0 };

  const counters = [
    ...input.limits.flatMap((limit) =>
      limit.maxPoints === undefined
        ? []
        : [
            {
              granted: used(limit.scope, limit.period).points,
              max: limit.maxPoints,
              violation: {
                code: 'points_limit',
                scope: limit.scope,
                period: limit.period,
                max: limit.maxPoints,
              } as LimitViolation,
            },
          ],
    ),
    ...(input.budget === null
      ? []
      : [
          {
            granted: input.budgetUsed,
            max: input.budget.points,
            violation: { code: 'budget_spent', left: 0 } as LimitViolation,
          },
        ]),
    ...(input.yearlyCap === null
      ? []
      : [
          {
            granted: input.yearlyUsed,
            max: input.yearlyCap,
            violation: { code: 'yearly_cap', left: 0 } as LimitViolation,
          },
        ]),
  ];
  const roomForOne = (counter: { granted: number; max: number }) =>
    counter.granted + 1 <= counter.max;
  // A cap is spent when it blocks the very first point.
  const spent = counters.filter((counter) => !roomForOne(counter)).map((c) => c.violation);

  let awarded = 0;
  while (awarded < input.requestedPoints && counters.every(roomForOne)) {
    awarded += 1;
    for (const counter of counters) counter.granted += 1;
  }

  const countViolations: LimitViolation[] = [];
  for (const limit of input.limits) {
    if (limit.maxCount === undefined) continue;
    const approvedAfterThisOne = used(limit.scope, limit.period).count + 1;
    if (approvedAfterThisOne > limit.maxCount) {
      countViolations.push({
        code: 'count_limit',
        scope: limit.scope,
        period: limit.period,
        max: limit.maxCount,
      });
    }
  }

  const cooldown: LimitViolation[] = [];
  if (input.secondsSinceLast !== null && input.cooldownSeconds > 0) {
    const now = 10_000_000;
    const lastAt = now - input.secondsSinceLast;
    const allowedFrom = lastAt + input.cooldownSeconds;
    if (now < allowedFrom) cooldown.push({ code: 'cooldown', secondsLeft: allowedFrom - now });
  }

  const violations = [...countViolations, ...cooldown, ...spent];
  if (violations.length > 0) return { awardPoints: 0, capped: false, violations };
  return { awardPoints: awarded, capped: awarded < input.requestedPoints, violations: [] };
}

const brusselsDate = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Brussels',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The ISO week of a calendar date, found through the Thursday of its week. */
function isoWeekLabel(ymd: string): string {
  const [year, month, day] = ymd.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  const mondayBased = (date.getUTCDay() + 6) % 7;
  const thursday = new Date(date.getTime() + (3 - mondayBased) * 86_400_000);
  const isoYear = thursday.getUTCFullYear();
  const dayOfYear = (thursday.getTime() - Date.UTC(isoYear, 0, 1)) / 86_400_000;
  return `${isoYear}-W${Math.floor(dayOfYear / 7) + 1}`;
}

/** Which period an instant falls in, as a label that changes exactly at each period boundary. */
function periodLabel(period: Exclude<LimitPeriod, 'lifetime'>, instantMs: number): string {
  const ymd = brusselsDate.format(instantMs);
  if (period === 'day') return ymd;
  if (period === 'week') return isoWeekLabel(ymd);
  if (period === 'month') return ymd.slice(0, 7);
  return ymd.slice(0, 4);
}

const SEARCH_SPAN_MS = 400 * 86_400_000;

/** The first instant of `at`'s period, by bisecting for the last label change before it. */
export function referencePeriodStart(period: LimitPeriod, at: Date): Date | null {
  if (period === 'lifetime') return null;
  const label = periodLabel(period, at.getTime());
  let before = at.getTime() - SEARCH_SPAN_MS;
  let inside = at.getTime();
  while (inside - before > 1) {
    const middle = Math.floor((before + inside) / 2);
    if (periodLabel(period, middle) === label) inside = middle;
    else before = middle;
  }
  return new Date(inside);
}

/** The first instant after `at`'s period, by bisecting for the next label change. */
export function referencePeriodEnd(period: LimitPeriod, at: Date): Date | null {
  if (period === 'lifetime') return null;
  const label = periodLabel(period, at.getTime());
  let inside = at.getTime();
  let after = at.getTime() + SEARCH_SPAN_MS;
  while (after - inside > 1) {
    const middle = Math.floor((inside + after) / 2);
    if (periodLabel(period, middle) === label) inside = middle;
    else after = middle;
  }
  return new Date(after);
}

/** Thousandths of a unit by reading the number's decimal digits. */
export function referenceToQuantityMilli(quantity: number): number | null {
  const text = String(quantity);
  const match = /^(\d+)(?:\.(\d{1,3}))?$/.exec(text);
  if (!match) return null;
  const milli = Number(match[1]) * 1000 + Number((match[2] ?? '').padEnd(3, '0'));
  return milli > 0 && milli <= 1_000_000_000 ? milli : null;
}

/** Points for a quantity as whole units at the full rate plus the rest in thousandths. */
export function referencePointsForQuantity(points: Points, quantityMilli: number): number {
  if (points.mode === 'fixed') return points.points;
  const wholeUnits = Math.floor(quantityMilli / 1000);
  const restMilli = quantityMilli - wholeUnits * 1000;
  const earned =
    wholeUnits * points.pointsPerUnit + Math.floor((restMilli * points.pointsPerUnit) / 1000);
  return Math.min(earned, points.maxPointsPerClaim);
}
