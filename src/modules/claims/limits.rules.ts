import type { Budget, LimitPeriod, LimitScope, Points } from '../catalog/catalog.types.js';
import type { LimitCheckInput, LimitCheckResult, LimitViolation, Usage } from './limits.types.js';

/** Pure limit rules of claims: period windows, the limit check, points for a quantity. No I/O. */

/** Periods are calendar periods where the municipalities are, whatever the server's zone. */
export const EARNING_TIME_ZONE = 'Europe/Brussels';
/** The largest quantity one claim may carry, in units (kg, hours, items). */
export const MAX_QUANTITY_UNITS = 1_000_000;

const NO_USAGE: Usage = { count: 0, points: 0 };

/** The key of a limit's usage in `UsageByLimit`, e.g. `household:year`. */
export function limitKey(scope: LimitScope, period: LimitPeriod): string {
  return `${scope}:${period}`;
}

/** A calendar date in the earning zone; month is 1–12. */
interface LocalDate {
  year: number;
  month: number;
  day: number;
}

// Creating a DateTimeFormat is costly; one instance serves every call.
const wallClock = new Intl.DateTimeFormat('en-US', {
  timeZone: EARNING_TIME_ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
});

/** The wall-clock time in the earning zone at an instant, as if it were UTC (ms), by Intl. */
function formattedWallClockMs(instantMs: number): number {
  const parts: Record<string, number> = {};
  for (const part of wallClock.formatToParts(instantMs)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const { year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0 } = parts;
  return Date.UTC(year, month - 1, day, hour, minute, second);
}

const HOUR_MS = 3_600_000;
/** The zone's offset per UTC hour: Brussels (CET/CEST) only ever changes it on the hour. */
const offsetByHour = new Map<number, number>();

/**
 * The wall-clock time in the earning zone at an instant, as if it were UTC (ms). Every claim asks
 * this several times and Intl formatting is slow, so the offset is kept per hour.
 */
function wallClockMs(instantMs: number): number {
  const hour = Math.floor(instantMs / HOUR_MS);
  let offset = offsetByHour.get(hour);
  if (offset === undefined) {
    offset = formattedWallClockMs(hour * HOUR_MS) - hour * HOUR_MS;
    if (offsetByHour.size > 100_000) offsetByHour.clear();
    offsetByHour.set(hour, offset);
  }
  return Math.floor((instantMs + offset) / 1000) * 1000;
}

function localDateAt(instantMs: number): LocalDate {
  const wall = new Date(wallClockMs(instantMs));
  return { year: wall.getUTCFullYear(), month: wall.getUTCMonth() + 1, day: wall.getUTCDate() };
}

/**
 * The instant of local midnight starting a date. Brussels changes clocks at 02:00/03:00, so
 * midnight exists exactly once; the offset is read again at the answer so this stays right if the
 * zone ever changes within hours of midnight (then the UTC guess sits on the other side).
 */
function localMidnight(date: LocalDate): Date {
  const asUtc = Date.UTC(date.year, date.month - 1, date.day);
  const firstOffset = wallClockMs(asUtc) - asUtc;
  let instant = asUtc - firstOffset;
  const secondOffset = wallClockMs(instant) - instant;
  if (secondOffset !== firstOffset) instant = asUtc - secondOffset;
  return new Date(instant);
}

/** Date.UTC normalises overflowing days and months, which does the calendar arithmetic. */
function shiftDate(date: LocalDate, months: number, days: number): LocalDate {
  const shifted = new Date(Date.UTC(date.year, date.month - 1 + months, date.day + days));
  return {
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
  };
}

function firstDateOfPeriod(period: Exclude<LimitPeriod, 'lifetime'>, date: LocalDate): LocalDate {
  switch (period) {
    case 'day':
      return date;
    case 'week': {
      const weekday = (new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay() + 6) % 7;
      return shiftDate(date, 0, -weekday);
    }
    case 'month':
      return { year: date.year, month: date.month, day: 1 };
    case 'year':
      return { year: date.year, month: 1, day: 1 };
  }
}

function nextFirstDate(period: Exclude<LimitPeriod, 'lifetime'>, first: LocalDate): LocalDate {
  switch (period) {
    case 'day':
      return shiftDate(first, 0, 1);
    case 'week':
      return shiftDate(first, 0, 7);
    case 'month':
      return shiftDate(first, 1, 0);
    case 'year':
      return shiftDate(first, 12, 0);
  }
}

/** Start of the calendar period (Brussels time, ISO weeks) containing `at`; null for lifetime. */
export function periodStart(period: Exclude<LimitPeriod, 'lifetime'>, at: Date): Date;
export function periodStart(period: LimitPeriod | Budget['period'], at: Date): Date | null;
export function periodStart(period: LimitPeriod | Budget['period'], at: Date): Date | null {
  if (period === 'lifetime') return null;
  return localMidnight(firstDateOfPeriod(period, localDateAt(at.getTime())));
}

/** Start of the period after the one containing `at` (when the limit resets); null for lifetime. */
export function periodEnd(period: Exclude<LimitPeriod, 'lifetime'>, at: Date): Date;
export function periodEnd(period: LimitPeriod | Budget['period'], at: Date): Date | null;
export function periodEnd(period: LimitPeriod | Budget['period'], at: Date): Date | null {
  if (period === 'lifetime') return null;
  const first = firstDateOfPeriod(period, localDateAt(at.getTime()));
  return localMidnight(nextFirstDate(period, first));
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
