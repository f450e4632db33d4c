import { describe, expect, it } from 'vitest';
import {
  categoriesOf,
  filterRewards,
  isClientPurchaseId,
  issuesVoucher,
  newClientPurchaseId,
  orderVouchers,
  placesOf,
  pointsShort,
  purchaseReset,
  readFilters,
  someNeedNoPlace,
  unavailableReason,
  validUntilDay,
} from '../../web/src/areas/resident/spend/spendRules.js';
import type { Place, Reward, Voucher } from '../../web/src/areas/resident/spend/spendTypes.js';

// The resident's spending pages' own reading of the catalogue: the "what" and "where" filters,
// whether a reward can be bought and afforded, and the order of the vouchers.

const place = (partnerId: string, name: string, municipalityId = 'mun_pelt'): Place => ({
  partnerId,
  municipalityId,
  name,
  kind: 'facility',
  locations: [{ id: `loc_${partnerId}`, name, address: 'Markt 1', latitude: 51, longitude: 5 }],
});

function reward(overrides: Partial<Reward> = {}): Reward {
  return {
    id: 'rwd_1',
    municipalityId: 'mun_pelt',
    code: 'pool-ticket',
    status: 'active',
    kind: 'facility_item',
    names: { nl: 'Zwembad', fr: 'Piscine', de: 'Schwimmbad', en: 'Pool' },
    descriptions: { nl: '', fr: '', de: '', en: '' },
    category: 'leisure',
    pricePoints: 300,
    value: { mode: 'points' },
    stock: null,
    stockLeft: null,
    limits: [],
    validityDays: 90,
    scope: 'municipality',
    validFrom: null,
    validUntil: null,
    partnerKind: 'facility',
    partnerIds: [],
    causePartnerId: null,
    householdYearlyCapCents: null,
    valueCents: 300,
    places: [],
    ...overrides,
  };
}

const pool = reward({
  id: 'pool',
  places: [
    place('ptn_pool_p', 'Zwembad Pelt'),
    place('ptn_pool_l', 'Zwembad Lommel', 'mun_lommel'),
  ],
});
const bulb = reward({
  id: 'bulb',
  category: 'energy',
  places: [place('ptn_park', 'Recyclagepark')],
});
const batteries = reward({
  id: 'batt',
  category: 'energy',
  places: [place('ptn_park', 'Recyclagepark')],
});
const tax = reward({ id: 'tax', kind: 'tax_reduction', category: 'tax', validityDays: null });
const gift = reward({ id: 'gift', kind: 'donation', category: 'charity', validityDays: null });
const all = [gift, bulb, pool, batteries, tax];

describe('the rewards filters', () => {
  it('offers the categories present, in the catalogue order, and every place once by name', () => {
    expect(categoriesOf(all)).toEqual(['leisure', 'energy', 'tax', 'charity']);
    expect(placesOf(all).map((p) => p.name)).toEqual([
      'Recyclagepark',
      'Zwembad Lommel',
      'Zwembad Pelt',
    ]);
    expect(someNeedNoPlace(all)).toBe(true);
    expect(someNeedNoPlace([pool, bulb])).toBe(false);
  });

  it('shows what fits both the "what" and the "where", in the API order', () => {
    const ids = (list: Reward[]) => list.map((r) => r.id);
    expect(ids(filterRewards(all, 'all', 'all'))).toEqual(['gift', 'bulb', 'pool', 'batt', 'tax']);
    expect(ids(filterRewards(all, 'energy', 'all'))).toEqual(['bulb', 'batt']);
    expect(ids(filterRewards(all, 'all', { partnerId: 'ptn_pool_l' }))).toEqual(['pool']);
    expect(ids(filterRewards(all, 'all', 'none'))).toEqual(['gift', 'tax']);
    expect(ids(filterRewards(all, 'leisure', { partnerId: 'ptn_park' }))).toEqual([]);
  });

  it('reads the filters from the address, ignoring what is not on offer', () => {
    const read = (query: string) =>
      readFilters(new URLSearchParams(query), ['leisure', 'energy'], ['ptn_park']);
    expect(read('what=energy&where=ptn_park')).toEqual({
      what: 'energy',
      where: { partnerId: 'ptn_park' },
    });
    expect(read('where=none')).toEqual({ what: 'all', where: 'none' });
    expect(read('what=tax&where=ptn_gone')).toEqual({ what: 'all', where: 'all' });
  });
});

describe('buying', () => {
  const now = new Date('2026-12-01T10:00:00Z');

  it('tells vouchers from what is done at once', () => {
    expect(issuesVoucher('facility_item')).toBe(true);
    expect(issuesVoucher('merchant_discount')).toBe(true);
    expect(issuesVoucher('tax_reduction')).toBe(false);
    expect(issuesVoucher('donation')).toBe(false);
  });

  it('says why a reward cannot be bought now', () => {
    expect(unavailableReason(pool, now)).toBeNull();
    expect(unavailableReason(reward({ status: 'archived' }), now)).toBe('archived');
    expect(unavailableReason(reward({ validFrom: '2027-01-01T00:00:00Z' }), now)).toBe('notYet');
    expect(unavailableReason(reward({ validUntil: '2026-11-30T00:00:00Z' }), now)).toBe('over');
    expect(unavailableReason(reward({ stock: 5, stockLeft: 0 }), now)).toBe('soldOut');
    expect(unavailableReason(reward({ stock: 5, stockLeft: 1 }), now)).toBeNull();
  });

  it('counts the points still missing', () => {
    expect(pointsShort(pool, 1000)).toBe(0);
    expect(pointsShort(pool, 300)).toBe(0);
    expect(pointsShort(pool, 120)).toBe(180);
  });

  it('says until which day a voucher bought now lasts (Brussels calendar days)', () => {
    expect(validUntilDay(pool, now)).toBe('2027-03-01');
    expect(validUntilDay(reward({ validityDays: 1 }), new Date('2026-12-31T23:30:00Z'))).toBe(
      '2027-01-02',
    );
    expect(validUntilDay(tax, now)).toBeNull();
  });

  it('reads when a purchase limit resets', () => {
    expect(purchaseReset({ resetsAt: '2026-12-31T23:00:00.000Z' })).toEqual({
      kind: 'date',
      date: '2027-01-01',
    });
    expect(purchaseReset({ resetsAt: null })).toEqual({ kind: 'never' });
    expect(purchaseReset({})).toEqual({ kind: 'unknown' });
  });

  it('makes a new purchase id the API accepts each time', () => {
    const a = newClientPurchaseId();
    const b = newClientPurchaseId();
    expect(a).not.toBe(b);
    expect(isClientPurchaseId(a)).toBe(true);
    expect(isClientPurchaseId('short')).toBe(false);
    expect(isClientPurchaseId('has spaces in it')).toBe(false);
  });
});

describe('my vouchers', () => {
  const voucher = (
    id: string,
    status: Voucher['status'],
    issuedAt: string,
    expiresAt: string | null,
  ) => ({ id, status, issuedAt, expiresAt }) as Voucher;

  it('puts open vouchers first, the soonest to expire on top, then the rest newest first', () => {
    const { open, earlier } = orderVouchers([
      voucher('a', 'issued', '2026-11-01T00:00:00Z', '2027-02-01T00:00:00Z'),
      voucher('b', 'cancelled', '2026-11-02T00:00:00Z', '2027-02-02T00:00:00Z'),
      voucher('c', 'issued', '2026-11-03T00:00:00Z', '2027-01-01T00:00:00Z'),
      voucher('d', 'completed', '2026-11-04T00:00:00Z', null),
      voucher('e', 'redeemed', '2026-10-01T00:00:00Z', '2026-12-30T00:00:00Z'),
    ]);
    expect(open.map((v) => v.id)).toEqual(['c', 'a']);
    expect(earlier.map((v) => v.id)).toEqual(['d', 'b', 'e']);
  });
});
