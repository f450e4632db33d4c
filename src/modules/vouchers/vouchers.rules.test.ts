import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  LIMIT_PERIODS,
  LIMIT_SCOPES,
  type Limit,
  type LimitPeriod,
  type LimitScope,
} from '../catalog/catalog.types.js';
import {
  limitWindow,
  type PurchaseLimitViolation,
  type PurchaseUsage,
  purchaseLimitViolations,
  type RedeemingPartner,
  redemptionPlaceRefusal,
  secondsUntil,
  settledValueCents,
  UNDO_WINDOW_MS,
  voucherStateRefusal,
  voucherTransferIds,
} from './vouchers.rules.js';

/** The pure rules of vouchers: purchase limits, where and when a voucher redeems, values, ids. */

describe('purchaseLimitViolations', () => {
  const usage = (count: number, points: number): PurchaseUsage => ({ count, points });

  it('allows a purchase that reaches a limit exactly, refuses one that would pass it', () => {
    const limits: Limit[] = [{ scope: 'resident', period: 'month', maxCount: 2 }];
    expect(purchaseLimitViolations(limits, 100, { 'resident:month': usage(1, 100) })).toEqual([]);
    expect(purchaseLimitViolations(limits, 100, { 'resident:month': usage(2, 200) })).toEqual([
      { scope: 'resident', period: 'month', measure: 'count', max: 2 },
    ]);
    const points: Limit[] = [{ scope: 'household', period: 'year', maxPoints: 1000 }];
    expect(purchaseLimitViolations(points, 400, { 'household:year': usage(1, 600) })).toEqual([]);
    expect(purchaseLimitViolations(points, 401, { 'household:year': usage(1, 600) })).toEqual([
      { scope: 'household', period: 'year', measure: 'points', max: 1000 },
    ]);
  });

  it('counts missing usage as none, and reports every limit passed, in the order given', () => {
    const limits: Limit[] = [
      { scope: 'resident', period: 'day', maxCount: 1 },
      { scope: 'household', period: 'lifetime', maxCount: 1, maxPoints: 50 },
      { scope: 'resident', period: 'week', maxPoints: 500 },
    ];
    expect(purchaseLimitViolations(limits, 40, {})).toEqual([]);
    expect(purchaseLimitViolations(limits, 60, {})).toEqual([
      { scope: 'household', period: 'lifetime', measure: 'points', max: 50 },
    ]);
    expect(
      purchaseLimitViolations(limits, 60, {
        'resident:day': usage(1, 10),
        'household:lifetime': usage(1, 10),
      }).map((v) => `${v.scope}:${v.period}:${v.measure}`),
    ).toEqual(['resident:day:count', 'household:lifetime:count']);
    // A single purchase above a points limit is refused even with nothing bought yet.
    expect(
      purchaseLimitViolations([{ scope: 'resident', period: 'lifetime', maxPoints: 10 }], 11, {}),
    ).toHaveLength(1);
    expect(purchaseLimitViolations([], 1_000_000, { 'resident:day': usage(99, 99) })).toEqual([]);
  });

  /**
   * Brute force: the purchases already made in each window are listed one by one; the new one is
   * appended and each limit counts and adds up its list. When both measures of a limit are
   * passed, the count is the one reported.
   */
  function bruteForce(
    limits: readonly Limit[],
    price: number,
    history: Readonly<Record<string, number[]>>,
  ): PurchaseLimitViolation[] {
    const out: PurchaseLimitViolation[] = [];
    for (const limit of limits) {
      const after = [...(history[`${limit.scope}:${limit.period}`] ?? []), price];
      let total = 0;
      for (const points of after) total += points;
      const tooMany = limit.maxCount !== undefined && after.length > limit.maxCount;
      const tooMuch = limit.maxPoints !== undefined && total > limit.maxPoints;
      if (tooMany || tooMuch) {
        out.push({
          scope: limit.scope,
          period: limit.period,
          measure: tooMany ? 'count' : 'points',
          max: (tooMany ? limit.maxCount : limit.maxPoints)!,
        });
      }
    }
    return out;
  }

  it('agrees with a brute-force count of the purchases in each window', () => {
    const scope = fc.constantFrom<LimitScope>(...LIMIT_SCOPES);
    const period = fc.constantFrom<LimitPeriod>(...LIMIT_PERIODS);
    const limit: fc.Arbitrary<Limit> = fc
      .record({
        scope,
        period,
        maxCount: fc.option(fc.integer({ min: 1, max: 6 }), { nil: undefined }),
        maxPoints: fc.option(fc.integer({ min: 1, max: 2000 }), { nil: undefined }),
      })
      .filter((l) => l.maxCount !== undefined || l.maxPoints !== undefined)
      .map((l) => {
        const out: Limit = { scope: l.scope, period: l.period };
        if (l.maxCount !== undefined) out.maxCount = l.maxCount;
        if (l.maxPoints !== undefined) out.maxPoints = l.maxPoints;
        return out;
      });
    const history = fc.dictionary(
      fc.tuple(scope, period).map(([s, p]) => `${s}:${p}`),
      fc.array(fc.integer({ min: 1, max: 600 }), { maxLength: 7 }),
    );
    fc.assert(
      fc.property(
        fc.array(limit, { maxLength: 4 }),
        fc.integer({ min: 1, max: 800 }),
        history,
        (limits, price, past) => {
          const summed: Record<string, PurchaseUsage> = {};
          for (const [key, list] of Object.entries(past)) {
            summed[key] = { count: list.length, points: list.reduce((a, b) => a + b, 0) };
          }
          expect(purchaseLimitViolations(limits, price, summed)).toEqual(
            bruteForce(limits, price, past),
          );
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('limitWindow', () => {
  it('is calendar periods in Brussels time, lifetime from ever and never resetting', () => {
    const at = new Date('2026-12-01T09:00:00Z');
    expect(limitWindow('lifetime', at)).toEqual({ from: null, resetsAt: null });
    expect(limitWindow('month', at)).toEqual({
      from: new Date('2026-11-30T23:00:00Z'),
      resetsAt: new Date('2026-12-31T23:00:00Z'),
    });
    expect(limitWindow('day', new Date('2026-07-01T21:59:59Z'))).toEqual({
      from: new Date('2026-06-30T22:00:00Z'),
      resetsAt: new Date('2026-07-01T22:00:00Z'),
    });
  });
});

describe('redemptionPlaceRefusal', () => {
  const voucher = { municipalityId: 'mun_a', scope: 'municipality' as const };
  const partner = (overrides: Partial<RedeemingPartner> = {}): RedeemingPartner => ({
    id: 'prt_pool',
    kind: 'facility',
    municipalityId: 'mun_a',
    status: 'active',
    ...overrides,
  });
  const byKind = { partnerKind: 'facility' as const, partnerIds: [] };
  const byId = { partnerKind: null, partnerIds: ['prt_pool'] };

  it('lets a named partner or a partner of the named kind of the municipality redeem', () => {
    expect(redemptionPlaceRefusal(voucher, byKind, partner())).toBeNull();
    expect(redemptionPlaceRefusal(voucher, byId, partner({ kind: 'merchant' }))).toBeNull();
    expect(
      redemptionPlaceRefusal(
        voucher,
        { partnerKind: 'merchant', partnerIds: ['prt_pool'] },
        partner(),
      ),
    ).toBeNull();
  });

  it('refuses another partner, a partner of another kind and an inactive partner', () => {
    expect(redemptionPlaceRefusal(voucher, byKind, partner({ kind: 'merchant' }))).toBe(
      'voucher_wrong_partner',
    );
    expect(redemptionPlaceRefusal(voucher, byId, partner({ id: 'prt_shop' }))).toBe(
      'voucher_wrong_partner',
    );
    expect(redemptionPlaceRefusal(voucher, byKind, partner({ status: 'inactive' }))).toBe(
      'voucher_wrong_partner',
    );
    // Wrong and elsewhere: the partner is wrong first.
    expect(
      redemptionPlaceRefusal(voucher, byKind, partner({ kind: 'merchant', municipalityId: 'b' })),
    ).toBe('voucher_wrong_partner');
  });

  it('keeps a municipality voucher at home, lets a region voucher travel', () => {
    const away = partner({ municipalityId: 'mun_b' });
    expect(redemptionPlaceRefusal(voucher, byKind, away)).toBe('voucher_out_of_scope');
    expect(redemptionPlaceRefusal({ ...voucher, scope: 'region' }, byKind, away)).toBeNull();
    expect(redemptionPlaceRefusal({ ...voucher, scope: 'region' }, byId, away)).toBeNull();
  });
});

describe('voucherStateRefusal', () => {
  const now = '2026-12-01T09:00:00.000Z';
  it('says why each state cannot be redeemed', () => {
    const at = (status: Parameters<typeof voucherStateRefusal>[0]['status']) =>
      voucherStateRefusal({ status, expiresAt: '2027-01-01T00:00:00.000Z' }, now);
    expect(at('issued')).toBeNull();
    expect(at('redeemed')).toBe('voucher_already_redeemed');
    expect(at('cancelled')).toBe('voucher_cancelled');
    expect(at('expired')).toBe('voucher_expired');
    expect(at('completed')).toBe('voucher_not_found');
  });

  it('expires an open voucher from its expiry instant on', () => {
    const open = (expiresAt: string | null) =>
      voucherStateRefusal({ status: 'issued', expiresAt }, now);
    expect(open('2026-12-01T09:00:00.001Z')).toBeNull();
    expect(open(now)).toBe('voucher_expired');
    expect(open('2026-12-01T08:59:59.999Z')).toBe('voucher_expired');
    expect(open(null)).toBeNull();
    // A redeemed voucher past its expiry is still "already redeemed".
    expect(
      voucherStateRefusal({ status: 'redeemed', expiresAt: '2020-01-01T00:00:00Z' }, now),
    ).toBe('voucher_already_redeemed');
  });
});

describe('settledValueCents', () => {
  it('settles a fixed voucher at its value whatever discount is sent', () => {
    expect(settledValueCents({ valueCents: 500, discountPercent: null }, undefined)).toBe(500);
    expect(settledValueCents({ valueCents: 500, discountPercent: null }, 20)).toBe(500);
  });

  it('settles a percentage voucher at the discount given, between 0 and its most', () => {
    const pct = { valueCents: 1000, discountPercent: 10 };
    expect(settledValueCents(pct, undefined)).toBe(1000);
    expect(settledValueCents(pct, 250)).toBe(250);
    expect(settledValueCents(pct, 0)).toBe(0);
    expect(settledValueCents(pct, 1000)).toBe(1000);
    expect(settledValueCents(pct, 1001)).toBe(1000);
    expect(settledValueCents(pct, -5)).toBe(0);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), fc.integer(), (value, given) => {
        const settled = settledValueCents({ valueCents: value, discountPercent: 5 }, given);
        expect(settled).toBeGreaterThanOrEqual(0);
        expect(settled).toBeLessThanOrEqual(value);
      }),
    );
  });
});

describe('ids and times', () => {
  it('names each generation of a voucher’s transfers apart', () => {
    const ids = voucherTransferIds('vch_1');
    const all = [1, 2].flatMap((n) => [
      ids.hold(n),
      ids.post(n),
      ids.pay(n),
      ids.void(n),
      ids.undoPay(n),
      ids.undoPost(n),
    ]);
    all.push(ids.tax, ids.donation);
    expect(new Set(all).size).toBe(all.length);
    for (const id of all) expect(id).toMatch(/^[A-Za-z0-9_.:-]{1,64}$/);
    expect(ids.hold(2)).toBe('vch:vch_1:hold:2');
  });

  it('rounds a hold’s timeout up to whole seconds, at least one', () => {
    const now = new Date('2026-12-01T09:00:00.000Z');
    expect(secondsUntil('2026-12-01T09:00:10.000Z', now)).toBe(10);
    expect(secondsUntil('2026-12-01T09:00:10.001Z', now)).toBe(11);
    expect(secondsUntil('2026-12-01T09:00:00.000Z', now)).toBe(1);
    expect(secondsUntil('2026-11-01T09:00:00.000Z', now)).toBe(1);
    expect(UNDO_WINDOW_MS).toBe(600_000);
  });
});
