import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canClaimNow,
  earnWay,
  formNeeds,
  fullLimit,
  limitReset,
  nextPeriodStart,
  parseQuantity,
  pointsFor,
  suggestions,
} from '../../web/src/areas/resident/earn/earnRules.js';
import type {
  Activity,
  ActivityTerms,
  Claim,
} from '../../web/src/areas/resident/earn/earnTypes.js';

// The resident pages' own reading of an activity: how it is earned, what its form asks, and
// whether a limit of the resident's is full now (calendar periods in Brussels time).

function terms(overrides: Partial<ActivityTerms> = {}): ActivityTerms {
  return {
    id: 'ver_1',
    names: { nl: 'Zwerfvuil', fr: 'Déchets', de: 'Müll', en: 'Litter' },
    descriptions: { nl: '', fr: '', de: '', en: '' },
    category: 'nature',
    points: { mode: 'fixed', points: 25 },
    verificationMethods: ['photo_geo'],
    limits: [],
    cooldownSeconds: 0,
    validFrom: null,
    validUntil: null,
    budget: null,
    evidence: { photo: true, location: true, site: false },
    partnerKind: null,
    earnedThrough: 'claims',
    effectiveFrom: '2026-01-01T00:00:00Z',
    ...overrides,
  };
}

const activity = (overrides: Partial<ActivityTerms> = {}, id = 'act_1'): Activity => ({
  id,
  code: id,
  status: 'active',
  current: terms(overrides),
  upcoming: [],
});

function claim(overrides: Partial<Claim> = {}): Claim {
  return {
    id: 'clm_1',
    activityId: 'act_1',
    source: 'resident',
    quantity: 1,
    requestedPoints: 25,
    points: 25,
    note: null,
    occurredAt: '2026-12-01T09:00:00Z',
    submittedAt: '2026-12-01T09:00:00Z',
    status: 'approved',
    decidedAt: '2026-12-01T09:00:00Z',
    rejectReason: null,
    decisionNote: null,
    appealedAt: null,
    appealNote: null,
    photoIds: [],
    ...overrides,
  };
}

describe('how an activity is earned', () => {
  it('lets residents claim what is not only for partners, and never what reports earn', () => {
    expect(earnWay(terms())).toEqual({ kind: 'claim', method: 'photo_geo' });
    expect(
      earnWay(terms({ verificationMethods: ['partner_confirmation', 'staff_review'] })),
    ).toEqual({ kind: 'claim', method: 'staff_review' });
    expect(earnWay(terms({ verificationMethods: ['import'] }))).toEqual({ kind: 'partner' });
    expect(
      earnWay(terms({ verificationMethods: ['staff_review'], earnedThrough: 'reports' })),
    ).toEqual({ kind: 'report' });
  });

  it('asks only for what the activity needs', () => {
    expect(formNeeds(terms())).toEqual({
      quantity: null,
      photo: 'required',
      location: 'required',
      siteCode: 'none',
    });
    expect(
      formNeeds(
        terms({
          verificationMethods: ['site_code', 'partner_confirmation'],
          evidence: { photo: false, location: false, site: true },
        }),
      ),
    ).toEqual({ quantity: null, photo: 'none', location: 'none', siteCode: 'required' });
    expect(
      formNeeds(
        terms({
          verificationMethods: ['staff_review'],
          evidence: { photo: false, location: false, site: false },
          points: { mode: 'per_unit', unit: 'hour', pointsPerUnit: 10, maxPointsPerClaim: 80 },
        }),
      ),
    ).toEqual({ quantity: 'hour', photo: 'optional', location: 'none', siteCode: 'none' });
  });
});

describe('quantities and points', () => {
  it('reads amounts typed with a comma or a point, at most 3 decimals', () => {
    expect(parseQuantity('2,5')).toBe(2.5);
    expect(parseQuantity(' 3 ')).toBe(3);
    expect(parseQuantity('1.2345')).toBeNull();
    expect(parseQuantity('0')).toBeNull();
    expect(parseQuantity('-1')).toBeNull();
    expect(parseQuantity('two')).toBeNull();
  });

  it('never promises more than the per-claim maximum', () => {
    const perHour = terms({
      points: { mode: 'per_unit', unit: 'hour', pointsPerUnit: 10, maxPointsPerClaim: 80 },
    });
    expect(pointsFor(perHour, 2.5)).toBe(25);
    expect(pointsFor(perHour, 12)).toBe(80);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), (milli) => {
        const points = pointsFor(perHour, milli / 1000)!;
        return points >= 0 && points <= 80 && points === Math.min(Math.floor(milli / 100), 80);
      }),
    );
  });
});

describe('periods in Brussels time', () => {
  it('ends a day at Brussels midnight, a week on Monday, a month on the 1st', () => {
    // 23:30 UTC on 1 December is already 2 December in Brussels (UTC+1).
    expect(nextPeriodStart('day', new Date('2026-12-01T22:30:00Z'))).toBe('2026-12-02');
    expect(nextPeriodStart('day', new Date('2026-12-01T23:30:00Z'))).toBe('2026-12-03');
    // Tuesday 1 December 2026 → Monday 7 December.
    expect(nextPeriodStart('week', new Date('2026-12-01T09:00:00Z'))).toBe('2026-12-07');
    expect(nextPeriodStart('week', new Date('2026-12-07T09:00:00Z'))).toBe('2026-12-14');
    expect(nextPeriodStart('month', new Date('2026-12-01T09:00:00Z'))).toBe('2027-01-01');
    expect(nextPeriodStart('year', new Date('2026-06-30T09:00:00Z'))).toBe('2027-01-01');
    expect(nextPeriodStart('lifetime', new Date())).toBeNull();
  });

  it('always starts the next period after the instant, within the period length', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2020-01-01'), max: new Date('2035-01-01'), noInvalidDate: true }),
        fc.constantFrom('day', 'week', 'month', 'year') as fc.Arbitrary<
          'day' | 'week' | 'month' | 'year'
        >,
        (instant, period) => {
          const next = Date.parse(`${nextPeriodStart(period, instant)}T00:00:00Z`);
          const longest = { day: 1, week: 7, month: 31, year: 366 }[period] * 86_400_000;
          // The date is compared at UTC midnight, one or two hours after the Brussels midnight.
          const slack = 2 * 3_600_000;
          return next > instant.getTime() && next - instant.getTime() <= longest + slack;
        },
      ),
    );
  });
});

describe('limits the resident has filled', () => {
  const now = new Date('2026-12-01T15:00:00Z');
  const daily = { scope: 'resident' as const, period: 'day' as const, maxCount: 1 };

  it('counts approved claims of the activity in the current period only', () => {
    expect(fullLimit('act_1', [daily], [claim()], now)).toEqual(daily);
    expect(fullLimit('act_1', [daily], [claim({ occurredAt: '2026-11-30T09:00:00Z' })], now)).toBe(
      null,
    );
    expect(fullLimit('act_1', [daily], [claim({ status: 'submitted' })], now)).toBeNull();
    expect(fullLimit('act_1', [daily], [claim({ activityId: 'act_2' })], now)).toBeNull();
    const monthlyPoints = { scope: 'resident' as const, period: 'month' as const, maxPoints: 50 };
    expect(fullLimit('act_1', [monthlyPoints], [claim(), claim({ id: 'clm_2' })], now)).toEqual(
      monthlyPoints,
    );
  });

  it('says when a reached limit resets: the API’s date first, else the full limit’s period', () => {
    const litter = activity({ limits: [daily] });
    expect(limitReset({ resetsAt: '2026-12-01T23:00:00.000Z' }, litter, [], now)).toEqual({
      kind: 'date',
      date: '2026-12-02',
    });
    expect(limitReset({ resetsAt: null }, litter, [], now)).toEqual({ kind: 'never' });
    expect(limitReset({}, litter, [claim()], now)).toEqual({ kind: 'date', date: '2026-12-02' });
    const once = activity({ limits: [{ scope: 'household', period: 'lifetime', maxCount: 1 }] });
    expect(limitReset({}, once, [], now)).toEqual({ kind: 'never' });
    expect(limitReset({}, activity(), [], now)).toEqual({ kind: 'unknown' });
  });
});

describe('suggestions', () => {
  const now = new Date('2026-12-01T15:00:00Z');

  it('suggests what can be claimed now, the most points first, at most two', () => {
    const litter = activity({}, 'act_1');
    const energy = activity(
      {
        verificationMethods: ['partner_confirmation', 'staff_review'],
        points: { mode: 'fixed', points: 500 },
      },
      'act_2',
    );
    const recycling = activity({ verificationMethods: ['import'] }, 'act_3');
    const report = activity({ earnedThrough: 'reports' }, 'act_4');
    const later = activity({ validFrom: '2027-01-01T00:00:00Z' }, 'act_5');
    const small = activity({ points: { mode: 'fixed', points: 5 } }, 'act_6');
    const all = [litter, energy, recycling, report, later, small];
    expect(suggestions(all, [], now).map((a) => a.id)).toEqual(['act_2', 'act_1']);
    // A claim that waits, a full limit, or a running cooldown take an activity out.
    expect(canClaimNow(litter, [claim({ status: 'submitted' })], now)).toBe(false);
    const daily = activity({ limits: [{ scope: 'resident', period: 'day', maxCount: 1 }] });
    expect(canClaimNow(daily, [claim()], now)).toBe(false);
    const cooling = activity({ cooldownSeconds: 86_400 });
    expect(canClaimNow(cooling, [claim()], now)).toBe(false);
    expect(canClaimNow(cooling, [claim({ decidedAt: '2026-11-29T09:00:00Z' })], now)).toBe(true);
  });
});
