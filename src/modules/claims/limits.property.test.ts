import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Budget,
  LIMIT_PERIODS,
  LIMIT_SCOPES,
  type Limit,
  type LimitPeriod,
} from '../catalog/catalog.types.js';
import {
  referenceCheckLimits,
  referencePeriodEnd,
  referencePeriodStart,
  referencePointsForQuantity,
  referenceToQuantityMilli,
} from './limits.reference.js';
import {
  checkLimits,
  limitKey,
  periodEnd,
  periodStart,
  pointsForQuantity,
  toQuantityMilli,
} from './limits.rules.js';
import type { LimitCheckInput, UsageByLimit } from './limits.types.js';

const RUNS = { numRuns: 300 };

const limitArb: fc.Arbitrary<Limit> = fc.record(
  {
    scope: fc.constantFrom(...LIMIT_SCOPES),
    period: fc.constantFrom(...LIMIT_PERIODS),
    maxCount: fc.integer({ min: 0, max: 30 }),
    maxPoints: fc.integer({ min: 0, max: 1000 }),
  },
  { requiredKeys: ['scope', 'period'] },
);

const usageArb: fc.Arbitrary<UsageByLimit> = fc
  .array(
    fc.tuple(
      fc.constantFrom(...LIMIT_SCOPES),
      fc.constantFrom(...LIMIT_PERIODS),
      fc.integer({ min: 0, max: 12 }),
      fc.integer({ min: 0, max: 500 }),
    ),
    { maxLength: 6 },
  )
  .map((rows) =>
    Object.fromEntries(
      rows.map(([scope, period, count, points]) => [limitKey(scope, period), { count, points }]),
    ),
  );

const budgetArb: fc.Arbitrary<Budget | null> = fc.option(
  fc.record({
    period: fc.constantFrom('month', 'year', 'lifetime') as fc.Arbitrary<Budget['period']>,
    points: fc.integer({ min: 0, max: 3000 }),
  }),
);

const inputArb: fc.Arbitrary<LimitCheckInput> = fc.record({
  // Mostly positive, sometimes zero or negative (which must earn nothing and break nothing).
  requestedPoints: fc.oneof(
    { weight: 9, arbitrary: fc.integer({ min: 1, max: 800 }) },
    { weight: 1, arbitrary: fc.integer({ min: -20, max: 0 }) },
  ),
  limits: fc.array(limitArb, { maxLength: 3 }),
  usage: usageArb,
  budget: budgetArb,
  budgetUsed: fc.integer({ min: 0, max: 1500 }),
  yearlyCap: fc.option(fc.integer({ min: 0, max: 4000 })),
  yearlyUsed: fc.integer({ min: 0, max: 2000 }),
  secondsSinceLast: fc.option(fc.integer({ min: 0, max: 400_000 })),
  cooldownSeconds: fc.oneof(
    { weight: 2, arbitrary: fc.constant(0) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 172_800 }) },
  ),
});

/** Every points cap of the input as the points it leaves, computed without the rules. */
function pointsLeft(input: LimitCheckInput): number[] {
  const used = (limit: Limit) => input.usage[limitKey(limit.scope, limit.period)]?.points ?? 0;
  return [
    ...input.limits.flatMap((l) => (l.maxPoints === undefined ? [] : [l.maxPoints - used(l)])),
    ...(input.budget ? [input.budget.points - input.budgetUsed] : []),
    ...(input.yearlyCap === null ? [] : [input.yearlyCap - input.yearlyUsed]),
  ];
}

function somethingHit(input: LimitCheckInput): boolean {
  const countHit = input.limits.some(
    (l) =>
      l.maxCount !== undefined &&
      (input.usage[limitKey(l.scope, l.period)]?.count ?? 0) + 1 > l.maxCount,
  );
  const cooldownHit =
    input.cooldownSeconds > 0 &&
    input.secondsSinceLast !== null &&
    input.secondsSinceLast < input.cooldownSeconds;
  return countHit || cooldownHit || pointsLeft(input).some((left) => left <= 0);
}

/** The same input with at least as much usage everywhere and a more recent last claim. */
const moreUsageArb = inputArb.chain((input) =>
  fc
    .record({
      extraUsage: usageArb,
      budgetExtra: fc.nat(300),
      yearlyExtra: fc.nat(300),
      sooner: fc.option(fc.nat(200_000), { nil: undefined }),
    })
    .map(({ extraUsage, budgetExtra, yearlyExtra, sooner }) => {
      const usage: UsageByLimit = { ...input.usage };
      for (const [key, extra] of Object.entries(extraUsage)) {
        const base = usage[key] ?? { count: 0, points: 0 };
        usage[key] = { count: base.count + extra.count, points: base.points + extra.points };
      }
      const secondsSinceLast =
        sooner === undefined
          ? input.secondsSinceLast
          : Math.max(0, (input.secondsSinceLast ?? sooner) - sooner);
      const more: LimitCheckInput = {
        ...input,
        usage,
        budgetUsed: input.budgetUsed + budgetExtra,
        yearlyUsed: input.yearlyUsed + yearlyExtra,
        secondsSinceLast,
      };
      return { input, more };
    }),
);

describe('checkLimits (properties)', () => {
  it('decides exactly as the simulating reference', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        expect(checkLimits(input)).toEqual(referenceCheckLimits(input));
      }),
      RUNS,
    );
  });

  it('awards a non-negative integer no larger than the request or any points left', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const { awardPoints, capped } = checkLimits(input);
        expect(Number.isSafeInteger(awardPoints)).toBe(true);
        expect(awardPoints).toBeGreaterThanOrEqual(0);
        expect(awardPoints).toBeLessThanOrEqual(Math.max(0, input.requestedPoints));
        for (const left of pointsLeft(input))
          expect(awardPoints).toBeLessThanOrEqual(Math.max(left, 0));
        expect(capped).toBe(awardPoints > 0 && awardPoints < input.requestedPoints);
      }),
      RUNS,
    );
  });

  it('lists violations exactly when a positive request hits a cap, count or cooldown, and then awards 0', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const { awardPoints, violations } = checkLimits(input);
        const refused = input.requestedPoints > 0 && somethingHit(input);
        expect(violations.length > 0).toBe(refused);
        if (refused) expect(awardPoints).toBe(0);
        if (input.requestedPoints > 0 && !refused) expect(awardPoints).toBeGreaterThan(0);
        for (const violation of violations) {
          if (violation.code === 'cooldown') expect(violation.secondsLeft).toBeGreaterThan(0);
          if (violation.code === 'budget_spent' || violation.code === 'yearly_cap') {
            expect(violation.left).toBe(0);
          }
        }
      }),
      RUNS,
    );
  });

  it('never gives more points for more usage', () => {
    fc.assert(
      fc.property(moreUsageArb, ({ input, more }) => {
        expect(checkLimits(more).awardPoints).toBeLessThanOrEqual(checkLimits(input).awardPoints);
      }),
      RUNS,
    );
  });
});

const boundedPeriod = fc.constantFrom(
  ...(LIMIT_PERIODS.filter((p) => p !== 'lifetime') as Exclude<LimitPeriod, 'lifetime'>[]),
);
const anyDate = fc.date({
  min: new Date('2000-01-01T00:00:00Z'),
  max: new Date('2100-12-31T23:59:59.999Z'),
  noInvalidDate: true,
});
/** Instants within a few days and hours of the clock changes (last Sundays of March, October). */
const nearClockChange = fc
  .record({
    year: fc.integer({ min: 2000, max: 2100 }),
    month: fc.constantFrom(3, 10),
    day: fc.integer({ min: 24, max: 31 }),
    minute: fc.integer({ min: 0, max: 24 * 60 - 1 }),
    ms: fc.integer({ min: 0, max: 59_999 }),
  })
  .map(
    ({ year, month, day, minute, ms }) => new Date(Date.UTC(year, month - 1, day, 0, minute) + ms),
  );
const dateArb = fc.oneof(anyDate, nearClockChange);

describe('periodStart and periodEnd (properties)', () => {
  it('bound the instant: start ≤ at < end, and the start is its own period start', () => {
    fc.assert(
      fc.property(boundedPeriod, dateArb, (period, at) => {
        const start = periodStart(period, at);
        const end = periodEnd(period, at);
        expect(start.getTime()).toBeLessThanOrEqual(at.getTime());
        expect(at.getTime()).toBeLessThan(end.getTime());
        expect(periodStart(period, start).getTime()).toBe(start.getTime());
        // Periods tile time: the next one starts where this one ends, the previous one ends here.
        expect(periodStart(period, end).getTime()).toBe(end.getTime());
        expect(periodEnd(period, new Date(start.getTime() - 1)).getTime()).toBe(start.getTime());
        expect(periodStart(period, new Date(end.getTime() - 1)).getTime()).toBe(start.getTime());
      }),
      RUNS,
    );
  });

  it('find the same bounds as bisecting for the change of the Brussels calendar label', () => {
    fc.assert(
      fc.property(boundedPeriod, dateArb, (period, at) => {
        expect(periodStart(period, at)).toEqual(referencePeriodStart(period, at));
        expect(periodEnd(period, at)).toEqual(referencePeriodEnd(period, at));
      }),
      { numRuns: 200 },
    );
  });

  it('are null for lifetime', () => {
    fc.assert(
      fc.property(anyDate, (at) => {
        expect(periodStart('lifetime', at)).toBeNull();
        expect(periodEnd('lifetime', at)).toBeNull();
      }),
      { numRuns: 200 },
    );
  });
});

describe('quantities (properties)', () => {
  it('toQuantityMilli agrees with reading the decimal digits', () => {
    const quantity = fc.oneof(
      fc.integer({ min: 0, max: 1_000_001_000 }).map((milli) => milli / 1000),
      fc.double({ min: -10, max: 2_000_000, noNaN: true }),
      fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, 0.1 + 0.2, 1e-7, 1e21),
    );
    fc.assert(
      fc.property(quantity, (q) => {
        expect(toQuantityMilli(q)).toBe(referenceToQuantityMilli(q));
      }),
      { numRuns: 500 },
    );
  });

  it('pointsForQuantity agrees with whole units plus the rest, within the cap', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000_000 }),
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 1, max: 100_000 }),
        (quantityMilli, pointsPerUnit, maxPointsPerClaim) => {
          const points = {
            mode: 'per_unit',
            unit: 'kg',
            pointsPerUnit,
            maxPointsPerClaim,
          } as const;
          const earned = pointsForQuantity(points, quantityMilli);
          expect(earned).toBe(referencePointsForQuantity(points, quantityMilli));
          expect(Number.isSafeInteger(earned)).toBe(true);
          expect(earned).toBeLessThanOrEqual(maxPointsPerClaim);
        },
      ),
      RUNS,
    );
  });
});
