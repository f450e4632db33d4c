import { describe, expect, it } from 'vitest';
import {
  draftFromReward,
  emptyRewardDraft,
  messageAt,
  placeRewardErrors,
  rewardTermsFromDraft,
  togglePartner,
  withKind,
} from '../../web/src/areas/staff/spending/rewardDraft.js';
import type { Reward } from '../../web/src/areas/staff/spending/spendingTypes.js';
import { centsInput, centsOf } from '../../web/src/areas/staff/terms/termsDraft.js';

// The reward editor's form: what a person types (amounts in euros) becomes the API's terms and
// back, only what the kind uses is sent, and the API's field errors land next to their fields.

const named = (draft = emptyRewardDraft()) => ({
  ...draft,
  names: { nl: 'Zwembad', fr: 'Piscine', de: 'Schwimmbad', en: 'Pool' },
});

describe('the reward form', () => {
  it('reads euros as people write them', () => {
    expect(centsOf('5')).toBe(500);
    expect(centsOf('5,5')).toBe(550);
    expect(centsOf('€ 5,50')).toBe(550);
    expect(centsOf('1.234,56')).toBe(123_456);
    expect(centsOf('1,234.56')).toBe(123_456);
    expect(centsOf('5.00')).toBe(500);
    expect(centsOf('five')).toBeNull();
    expect(centsOf('-5')).toBeNull();
    expect(centsOf('5,123.4,5')).toBeNull();
    expect(centsInput(550, 'nl')).toBe('5,50');
    expect(centsInput(550, 'en')).toBe('5.50');
    expect(centsInput(500, 'fr')).toBe('5');
  });

  it('turns a discount into terms the API takes', () => {
    const draft = {
      ...withKind(named(), 'merchant_discount'),
      valueMode: 'percent' as const,
      valuePercent: '10',
      valueMax: '7,50',
      stockKept: true,
      stock: '50',
      partnerKind: 'merchant' as const,
      partnerIds: togglePartner([], 'prt_1', true),
      scope: 'region' as const,
    };
    const { terms, errors } = rewardTermsFromDraft(draft);
    expect(errors).toEqual({});
    expect(terms).toMatchObject({
      kind: 'merchant_discount',
      value: { mode: 'percent', percent: 10, maxCents: 750 },
      stock: 50,
      validityDays: 30,
      scope: 'region',
      partnerKind: 'merchant',
      partnerIds: ['prt_1'],
      causePartnerId: null,
      householdYearlyCapCents: null,
    });
  });

  it('sends a tax reduction without voucher terms, and a donation with its cause', () => {
    const tax = {
      ...withKind(
        { ...named(), partnerKind: 'merchant' as const, scope: 'region' as const },
        'tax_reduction',
      ),
      yearlyCap: '50',
    };
    expect(tax.valueMode).toBe('points');
    expect(rewardTermsFromDraft(tax).terms).toMatchObject({
      value: { mode: 'points' },
      validityDays: null,
      scope: 'municipality',
      partnerKind: null,
      partnerIds: [],
      householdYearlyCapCents: 5000,
    });
    const gift = { ...withKind(named(), 'donation'), causePartnerId: 'prt_charity' };
    expect(rewardTermsFromDraft(gift).terms).toMatchObject({
      causePartnerId: 'prt_charity',
      householdYearlyCapCents: null,
    });
  });

  it('says which fields it cannot read', () => {
    const draft = {
      ...withKind(emptyRewardDraft(), 'merchant_discount'),
      pricePoints: 'lots',
      valueAmount: '5 euro',
    };
    const { terms, errors } = rewardTermsFromDraft(draft);
    expect(terms).toBeNull();
    expect(errors).toMatchObject({
      '/names/nl': 'required',
      '/pricePoints': 'whole_number',
      '/value/cents': 'amount',
    });
  });

  it('fills the form from a reward and reads the same terms back', () => {
    const { terms } = rewardTermsFromDraft({
      ...named(),
      valueMode: 'amount',
      valueAmount: '2,50',
      limits: [{ key: 'a', scope: 'household', period: 'year', maxCount: '4', maxPoints: '' }],
    });
    const reward = {
      ...terms!,
      id: 'rwd_1',
      municipalityId: 'mun_1',
      code: 'pool',
      status: 'active',
      stockLeft: null,
      valueCents: 250,
      places: [],
      createdAt: '',
      updatedAt: '',
    } satisfies Reward;
    const draft = draftFromReward(reward, 'nl');
    expect(draft.valueAmount).toBe('2,50');
    expect(rewardTermsFromDraft(draft).terms).toEqual(terms);
  });

  it('places the API field errors next to their fields', () => {
    const placed = placeRewardErrors([
      { field: '/body/terms/pricePoints', code: 'minimum' },
      { field: '/terms/partnerIds/1', code: 'unknown_partner' },
      { field: '/terms/kind', code: 'fixed' },
      { field: '/partnerKind', code: 'required' },
      { field: '/body', code: 'something_new' },
    ]);
    expect(placed.fields).toEqual({
      '/pricePoints': 'range',
      '/partnerIds': 'unknown_partner',
      '/kind': 'fixed',
      '/partnerKind': 'required',
    });
    expect(placed.unplaced).toEqual(['invalid']);
    // "Fill this in" would not say what to do where vouchers are redeemed.
    expect(messageAt('/partnerKind', 'required')).toBe('where');
    expect(messageAt('/causePartnerId', 'required')).toBe('cause');
    expect(messageAt('/pricePoints', 'range')).toBe('range');
  });
});
