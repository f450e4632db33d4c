import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  draftFromTerms,
  effectiveFromOf,
  emptyDraft,
  formPathOf,
  fromLocalInput,
  newLimitRow,
  placeApiErrors,
  termsFromDraft,
  toggleMethod,
  toLocalInput,
} from '../../web/src/areas/staff/earning/activityDraft.js';
import type { ActivityTerms } from '../../web/src/areas/staff/earning/earningTypes.js';
import { activityTerms } from '../support/earning.js';

// The catalogue editor's form: what a person types becomes the API's terms and back, and the
// API's field errors land next to the fields they name.

const named = (draft = emptyDraft()) => ({
  ...draft,
  names: { nl: 'Boom planten', fr: 'Planter un arbre', de: 'Baum pflanzen', en: 'Plant a tree' },
});

describe('the activity form', () => {
  it('turns a filled-in form into terms the API takes', () => {
    const draft = {
      ...named(),
      pointsMode: 'per_unit' as const,
      unit: 'hour' as const,
      pointsPerUnit: '10',
      maxPointsPerClaim: '80',
      methods: toggleMethod(['staff_review'], 'photo_geo', true),
      limits: [{ ...newLimitRow(), period: 'week' as const, maxCount: '', maxPoints: '200' }],
      cooldown: '2',
      cooldownUnit: 'days' as const,
      budgetPeriod: 'year' as const,
      budgetPoints: '5000',
      evidencePhoto: true,
      evidenceLocation: true,
      siteLatitude: '51,2194',
      siteLongitude: '5.4236',
      siteRadius: '500',
      partnerKind: 'charity' as const,
      impactKey: ' volunteer_hours ',
    };
    const { terms, errors } = termsFromDraft(draft);
    expect(errors).toEqual({});
    expect(terms).toMatchObject({
      points: { mode: 'per_unit', unit: 'hour', pointsPerUnit: 10, maxPointsPerClaim: 80 },
      verificationMethods: ['staff_review', 'photo_geo'],
      limits: [{ scope: 'resident', period: 'week', maxPoints: 200 }],
      cooldownSeconds: 2 * 86_400,
      budget: { period: 'year', points: 5000 },
      evidence: { photo: true, location: true, site: false },
      site: { latitude: 51.2194, longitude: 5.4236, radiusMeters: 500 },
      partnerKind: 'charity',
      partnerId: null,
      impactKey: 'volunteer_hours',
      validFrom: null,
      validUntil: null,
    });
    expect(terms!.limits[0]).not.toHaveProperty('maxCount');
  });

  it('says which fields it cannot read', () => {
    const draft = {
      ...emptyDraft(),
      names: { nl: 'Boom', fr: ' ', de: 'Baum', en: 'Tree' },
      points: '2.5',
      methods: [],
      limits: [{ ...newLimitRow(), maxCount: '', maxPoints: '' }],
      siteLatitude: 'north',
      budgetPeriod: 'month' as const,
      budgetPoints: '',
    };
    const { terms, errors } = termsFromDraft(draft);
    expect(terms).toBeNull();
    expect(errors).toEqual({
      '/names/fr': 'required',
      '/points/points': 'whole_number',
      '/verificationMethods': 'required',
      '/limits/0': 'limit_empty',
      '/budget/points': 'required',
      '/site/latitude': 'number',
      '/site/longitude': 'required',
      '/site/radiusMeters': 'required',
    });
  });

  it('gives back the same terms it was filled with', () => {
    const terms: ActivityTerms = {
      ...activityTerms({
        points: { mode: 'per_unit', unit: 'kg', pointsPerUnit: 3, maxPointsPerClaim: 100 },
        verificationMethods: ['import', 'staff_review'],
        limits: [
          { scope: 'household', period: 'lifetime', maxCount: 1 },
          { scope: 'resident', period: 'month', maxCount: 4, maxPoints: 200 },
        ],
        cooldownSeconds: 90 * 60,
        budget: { period: 'lifetime', points: 10_000 },
        site: { latitude: 51.2, longitude: 5.4, radiusMeters: 250 },
        partnerKind: 'recycling_centre',
        partnerId: 'ptn_1',
        impactKey: 'glass',
        validFrom: '2027-01-01T08:00:00.000Z',
        validUntil: '2027-12-31T22:00:00.000Z',
      }),
      descriptions: { nl: 'Uitleg', fr: 'Explication', de: 'Erklärung', en: 'Explanation' },
    };
    const draft = draftFromTerms('glass', terms);
    expect(draft.cooldown).toBe('90');
    expect(draft.cooldownUnit).toBe('minutes');
    expect(termsFromDraft(draft).terms).toEqual(terms);
  });

  it('keeps the order in which methods were chosen', () => {
    let methods = toggleMethod([], 'site_code', true);
    methods = toggleMethod(methods, 'partner_confirmation', true);
    methods = toggleMethod(methods, 'site_code', false);
    methods = toggleMethod(methods, 'site_code', true);
    expect(methods).toEqual(['partner_confirmation', 'site_code']);
  });

  it('reads a date and time typed in the browser and shows it again the same', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }),
        (date) => {
          const local = toLocalInput(date.toISOString());
          expect(toLocalInput(fromLocalInput(local)!)).toBe(local);
        },
      ),
    );
    expect(fromLocalInput('tomorrow')).toBeNull();
  });

  it('asks for a date when a change is to apply from one', () => {
    expect(effectiveFromOf({ ...emptyDraft(), effective: 'now', effectiveFrom: 'x' })).toEqual({});
    expect(effectiveFromOf({ ...emptyDraft(), effective: 'date' })).toEqual({ error: 'required' });
    const at = effectiveFromOf({
      ...emptyDraft(),
      effective: 'date',
      effectiveFrom: '2027-01-01T00:00',
    });
    expect(at.at).toBe(fromLocalInput('2027-01-01T00:00'));
  });

  it('places the API field errors at their fields, or the nearest one above', () => {
    expect(formPathOf('/body/terms/names/nl')).toBe('/names/nl');
    expect(formPathOf('/names/nl')).toBe('/names/nl');
    expect(formPathOf('/body/code')).toBe('/code');
    const placed = placeApiErrors([
      { field: '/body/terms/points/points', code: 'maximum' },
      { field: '/evidence', code: 'photo_geo' },
      { field: '/limits/1/scope', code: 'enum' },
      { field: '/effectiveFrom', code: 'in_the_past' },
      { field: '/body/terms/evidence/photo', code: 'type' },
      { field: '/body/somethingElse', code: 'unknown_field' },
    ]);
    expect(placed.fields).toEqual({
      '/points/points': 'range',
      '/evidence': 'photo_geo',
      '/limits/1': 'invalid',
      '/effectiveFrom': 'in_the_past',
    });
    expect(placed.unplaced).toEqual(['invalid']);
  });
});
