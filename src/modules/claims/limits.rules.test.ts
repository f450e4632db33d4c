import { describe, expect, it } from 'vitest';
import type { Points } from '../catalog/catalog.types.js';
import {
  checkLimits,
  EARNING_TIME_ZONE,
  limitKey,
  periodEnd,
  periodStart,
  pointsForQuantity,
  toQuantityMilli,
} from './limits.rules.js';
import type { LimitCheckInput } from './limits.types.js';

const iso = (date: Date | null) => date?.toISOString() ?? null;
const at = (text: string) => new Date(text);

describe('limitKey', () => {
  it('joins scope and period', () => {
    expect(limitKey('household', 'year')).toBe('household:year');
    expect(limitKey('resident', 'day')).toBe('resident:day');
  });
});

describe('periodStart and periodEnd', () => {
  it('use Brussels time', () => {
    expect(EARNING_TIME_ZONE).toBe('Europe/Brussels');
    // 23:30 UTC on 31 December is already New Year in Brussels.
    expect(iso(periodStart('year', at('2025-12-31T23:30:00Z')))).toBe('2025-12-31T23:00:00.000Z');
    expect(iso(periodStart('day', at('2026-01-15T22:59:59.999Z')))).toBe(
      '2026-01-14T23:00:00.000Z',
    );
    expect(iso(periodStart('day', at('2026-01-15T23:00:00Z')))).toBe('2026-01-15T23:00:00.000Z');
  });

  it('give the 23-hour day of the spring clock change (29 March 2026)', () => {
    for (const instant of [
      '2026-03-28T23:00:00Z',
      '2026-03-29T00:59:59Z',
      '2026-03-29T01:00:00Z',
    ]) {
      expect(iso(periodStart('day', at(instant)))).toBe('2026-03-28T23:00:00.000Z');
      expect(iso(periodEnd('day', at(instant)))).toBe('2026-03-29T22:00:00.000Z');
    }
    // Sunday 29 March ends the ISO week that began on Monday 23 March in winter time.
    expect(iso(periodStart('week', at('2026-03-29T12:00:00Z')))).toBe('2026-03-22T23:00:00.000Z');
    expect(iso(periodEnd('week', at('2026-03-29T12:00:00Z')))).toBe('2026-03-29T22:00:00.000Z');
    expect(iso(periodEnd('month', at('2026-03-29T12:00:00Z')))).toBe('2026-03-31T22:00:00.000Z');
  });

  it('give the 25-hour day of the autumn clock change (25 October 2026)', () => {
    // 00:30 and 01:30 UTC are 02:30 summer time and 02:30 winter time: the same local day.
    for (const instant of [
      '2026-10-25T00:30:00Z',
      '2026-10-25T01:30:00Z',
      '2026-10-25T22:59:59Z',
    ]) {
      expect(iso(periodStart('day', at(instant)))).toBe('2026-10-24T22:00:00.000Z');
      expect(iso(periodEnd('day', at(instant)))).toBe('2026-10-25T23:00:00.000Z');
    }
    expect(iso(periodStart('week', at('2026-10-25T01:30:00Z')))).toBe('2026-10-18T22:00:00.000Z');
    expect(iso(periodEnd('week', at('2026-10-25T01:30:00Z')))).toBe('2026-10-25T23:00:00.000Z');
    expect(iso(periodStart('month', at('2026-10-31T23:30:00Z')))).toBe('2026-10-31T23:00:00.000Z');
    expect(iso(periodStart('month', at('2026-10-31T22:30:00Z')))).toBe('2026-09-30T22:00:00.000Z');
  });

  it('start ISO weeks on Monday, also across New Year', () => {
    // Friday 1 January 2027 belongs to the week of Monday 28 December 2026.
    expect(iso(periodStart('week', at('2027-01-01T12:00:00Z')))).toBe('2026-12-27T23:00:00.000Z');
    expect(iso(periodEnd('week', at('2027-01-01T12:00:00Z')))).toBe('2027-01-03T23:00:00.000Z');
    // A Monday is its own week start; the Sunday before is still the previous week.
    expect(iso(periodStart('week', at('2026-06-01T10:00:00Z')))).toBe('2026-05-31T22:00:00.000Z');
    expect(iso(periodStart('week', at('2026-05-31T21:59:59Z')))).toBe('2026-05-24T22:00:00.000Z');
  });

  it('know month lengths and leap years', () => {
    expect(iso(periodStart('month', at('2024-02-29T12:00:00Z')))).toBe('2024-01-31T23:00:00.000Z');
    expect(iso(periodEnd('month', at('2024-02-29T12:00:00Z')))).toBe('2024-02-29T23:00:00.000Z');
    expect(iso(periodEnd('month', at('2026-12-15T12:00:00Z')))).toBe('2026-12-31T23:00:00.000Z');
    expect(iso(periodEnd('year', at('2026-07-01T12:00:00Z')))).toBe('2026-12-31T23:00:00.000Z');
  });

  it('are null for lifetime (counted since ever, never reset)', () => {
    expect(periodStart('lifetime', at('2026-05-05T12:00:00Z'))).toBeNull();
    expect(periodEnd('lifetime', at('2026-05-05T12:00:00Z'))).toBeNull();
  });
});

const base: LimitCheckInput = {
  requestedPoints: 50,
  limits: [],
  usage: {},
  budget: null,
  budgetUsed: 0,
  yearlyCap: null,
  yearlyUsed: 0,
  secondsSinceLast: null,
  cooldownSeconds: 0,
};

describe('checkLimits', () => {
  it('awards the request when nothing limits it', () => {
    expect(checkLimits(base)).toEqual({ awardPoints: 50, capped: false, violations: [] });
  });

  it('refuses the claim that would pass a count limit, and allows the last one within it', () => {
    const limits = [{ scope: 'household', period: 'lifetime', maxCount: 1 }] as const;
    expect(checkLimits({ ...base, limits: [...limits] })).toMatchObject({ awardPoints: 50 });
    expect(
      checkLimits({
        ...base,
        limits: [...limits],
        usage: { 'household:lifetime': { count: 1, points: 50 } },
      }),
    ).toEqual({
      awardPoints: 0,
      capped: false,
      violations: [{ code: 'count_limit', scope: 'household', period: 'lifetime', max: 1 }],
    });
  });

  it('reads the usage of each limit by its own scope and period', () => {
    const result = checkLimits({
      ...base,
      limits: [{ scope: 'resident', period: 'week', maxCount: 2 }],
      usage: { 'household:week': { count: 5, points: 0 }, 'resident:day': { count: 5, points: 0 } },
    });
    expect(result.awardPoints).toBe(50);
  });

  it('refuses during the cooldown and says how long is left', () => {
    const cooling = { ...base, cooldownSeconds: 3600 };
    expect(checkLimits({ ...cooling, secondsSinceLast: 100 })).toEqual({
      awardPoints: 0,
      capped: false,
      violations: [{ code: 'cooldown', secondsLeft: 3500 }],
    });
    expect(checkLimits({ ...cooling, secondsSinceLast: 3600 }).awardPoints).toBe(50);
    expect(checkLimits({ ...cooling, secondsSinceLast: null }).awardPoints).toBe(50);
  });

  it('lowers the award to the points a limit, the budget or the yearly cap leaves', () => {
    const limits = [{ scope: 'resident' as const, period: 'month' as const, maxPoints: 100 }];
    expect(
      checkLimits({ ...base, limits, usage: { 'resident:month': { count: 3, points: 80 } } }),
    ).toEqual({ awardPoints: 20, capped: true, violations: [] });
    expect(
      checkLimits({ ...base, budget: { period: 'year', points: 1000 }, budgetUsed: 990 }),
    ).toEqual({ awardPoints: 10, capped: true, violations: [] });
    expect(checkLimits({ ...base, yearlyCap: 500, yearlyUsed: 470 })).toEqual({
      awardPoints: 30,
      capped: true,
      violations: [],
    });
    expect(checkLimits({ ...base, yearlyCap: 500, yearlyUsed: 450 })).toEqual({
      awardPoints: 50,
      capped: false,
      violations: [],
    });
  });

  it('refuses when a points cap has nothing left, even when it was overspent', () => {
    expect(
      checkLimits({
        ...base,
        limits: [{ scope: 'household', period: 'year', maxPoints: 200 }],
        usage: { 'household:year': { count: 4, points: 200 } },
      }).violations,
    ).toEqual([{ code: 'points_limit', scope: 'household', period: 'year', max: 200 }]);
    expect(
      checkLimits({ ...base, budget: { period: 'month', points: 1000 }, budgetUsed: 1200 }),
    ).toEqual({ awardPoints: 0, capped: false, violations: [{ code: 'budget_spent', left: 0 }] });
    expect(checkLimits({ ...base, yearlyCap: 500, yearlyUsed: 500 }).violations).toEqual([
      { code: 'yearly_cap', left: 0 },
    ]);
  });

  it('lists every violation: counts, cooldown, points limits, budget, yearly cap', () => {
    const result = checkLimits({
      ...base,
      limits: [
        { scope: 'resident', period: 'day', maxPoints: 10 },
        { scope: 'resident', period: 'day', maxCount: 1 },
      ],
      usage: { 'resident:day': { count: 1, points: 10 } },
      budget: { period: 'lifetime', points: 100 },
      budgetUsed: 100,
      yearlyCap: 0,
      secondsSinceLast: 10,
      cooldownSeconds: 60,
    });
    expect(result).toEqual({
      awardPoints: 0,
      capped: false,
      violations: [
        { code: 'count_limit', scope: 'resident', period: 'day', max: 1 },
        { code: 'cooldown', secondsLeft: 50 },
        { code: 'points_limit', scope: 'resident', period: 'day', max: 10 },
        { code: 'budget_spent', left: 0 },
        { code: 'yearly_cap', left: 0 },
      ],
    });
  });

  it('awards nothing, without violations, for a request of 0 or fewer points', () => {
    const hit = { ...base, yearlyCap: 0, cooldownSeconds: 60, secondsSinceLast: 1 };
    expect(checkLimits({ ...hit, requestedPoints: 0 })).toEqual({
      awardPoints: 0,
      capped: false,
      violations: [],
    });
    expect(checkLimits({ ...base, requestedPoints: -5 }).awardPoints).toBe(0);
  });
});

describe('pointsForQuantity', () => {
  const perKg: Points = { mode: 'per_unit', unit: 'kg', pointsPerUnit: 3, maxPointsPerClaim: 100 };

  it('gives the fixed points whatever the quantity', () => {
    expect(pointsForQuantity({ mode: 'fixed', points: 25 }, 0)).toBe(25);
    expect(pointsForQuantity({ mode: 'fixed', points: 25 }, 7500)).toBe(25);
  });

  it('gives whole points per unit, rounded down and capped per claim', () => {
    expect(pointsForQuantity(perKg, 2500)).toBe(7);
    expect(pointsForQuantity(perKg, 333)).toBe(0);
    expect(pointsForQuantity(perKg, 334)).toBe(1);
    expect(pointsForQuantity(perKg, 40_000)).toBe(100);
  });

  it('stays exact where quantity × rate passes 2^53', () => {
    const big: Points = {
      mode: 'per_unit',
      unit: 'item',
      pointsPerUnit: 10_000_001,
      maxPointsPerClaim: Number.MAX_SAFE_INTEGER,
    };
    expect(pointsForQuantity(big, 999_999_999)).toBe(10_000_000_989_999);
  });

  it('gives 0 for a quantity that is not a positive integer of thousandths', () => {
    expect(pointsForQuantity(perKg, 0)).toBe(0);
    expect(pointsForQuantity(perKg, -1000)).toBe(0);
    expect(pointsForQuantity(perKg, 1.5)).toBe(0);
  });
});

describe('toQuantityMilli', () => {
  it('turns a quantity with up to 3 decimals into thousandths', () => {
    expect(toQuantityMilli(1)).toBe(1000);
    expect(toQuantityMilli(2.5)).toBe(2500);
    expect(toQuantityMilli(0.001)).toBe(1);
    expect(toQuantityMilli(1.005)).toBe(1005);
    expect(toQuantityMilli(1_000_000)).toBe(1_000_000_000);
  });

  it('is null for anything else', () => {
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, 0.0005, 1.2345, 0.1 + 0.2]) {
      expect(toQuantityMilli(bad)).toBeNull();
    }
    expect(toQuantityMilli(1_000_000.001)).toBeNull();
  });
});
