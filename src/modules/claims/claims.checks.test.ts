import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MEAN_EARTH_RADIUS_METERS } from '../../shared/geo.js';
import { VERIFICATION_METHODS } from '../catalog/catalog.types.js';
import {
  approvesAutomatically,
  assessClaim,
  type ClaimFacts,
  type PhotoFacts,
} from './claims.checks.js';
import { DEFAULT_EARNING_SETTINGS, type EarningSettings } from './claims.types.js';
import { findDuplicatePhoto } from './photos.rules.js';

const NOW = '2026-06-10T12:00:00.000Z';
const OCCURRED_AT = '2026-06-10T09:00:00.000Z';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** The town hall of a Belgian municipality, claims counting within 100 m. */
const SITE = { latitude: 50.8466, longitude: 4.3528, radiusMeters: 100 };

const shift = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();

/** The point `meters` due north of the site: along a meridian the haversine distance is exact. */
function north(meters: number) {
  return {
    latitude: SITE.latitude + (meters / MEAN_EARTH_RADIUS_METERS) * (180 / Math.PI),
    longitude: SITE.longitude,
  };
}

/** A resident's photo claim at the site, on time, from an old account: nothing to flag. */
function facts(overrides: Partial<ClaimFacts> = {}): ClaimFacts {
  return {
    terms: { site: SITE, evidence: { photo: true, location: true, site: false } },
    method: 'photo_geo',
    occurredAt: OCCURRED_AT,
    latitude: SITE.latitude,
    longitude: SITE.longitude,
    photos: [photo()],
    pendingWouldExceed: false,
    recentClaims: 0,
    residentCreatedAt: '2025-01-01T00:00:00.000Z',
    submittedByResident: true,
    now: NOW,
    // newAccountDays 3, velocityMaxClaims 10 in 60 minutes, photoMaxHoursApart 48.
    settings: DEFAULT_EARNING_SETTINGS,
    ...overrides,
  };
}

/** A photo taken at the claimed time at the site, unlike any earlier photo. */
function photo(overrides: Partial<PhotoFacts> = {}): PhotoFacts {
  return {
    id: 'pht_new',
    takenAt: OCCURRED_AT,
    latitude: SITE.latitude,
    longitude: SITE.longitude,
    sameAs: null,
    similarTo: null,
    ...overrides,
  };
}

/** The photo's facts as photoFactsFor builds them, against one earlier photo's perceptual hash. */
function photoComparedWith(earlierHash: string, hash: string): PhotoFacts {
  const earlier = [
    { id: 'pht_old', claimId: 'clm_old', sha256: 'a'.repeat(64), perceptualHash: earlierHash },
  ];
  const match = findDuplicatePhoto({ sha256: 'b'.repeat(64), perceptualHash: hash }, earlier);
  return photo({
    similarTo: match
      ? { claimId: match.photo.claimId, photoId: match.photo.id, distance: match.distance }
      : null,
  });
}

const settings = (overrides: Partial<EarningSettings>) => ({
  ...DEFAULT_EARNING_SETTINGS,
  ...overrides,
});

describe('assessClaim', () => {
  it('raises nothing for an old account’s photo taken on time at the site', () => {
    expect(assessClaim(facts())).toEqual({ flags: [], risk: 'none' });
  });

  it('flags limit_pending (medium) when claims still waiting would lower or refuse this one', () => {
    expect(assessClaim(facts({ pendingWouldExceed: true }))).toEqual({
      flags: [{ code: 'limit_pending', risk: 'medium', detail: {} }],
      risk: 'medium',
    });
  });

  describe('photos seen before', () => {
    it('flags duplicate_photo (high) for the same bytes as an earlier claim’s photo, and nothing else', () => {
      const same = { claimId: 'clm_old', photoId: 'pht_old' };
      expect(assessClaim(facts({ photos: [photo({ sameAs: same })] }))).toEqual({
        flags: [
          {
            code: 'duplicate_photo',
            risk: 'high',
            detail: { photoId: 'pht_new', claimId: 'clm_old' },
          },
        ],
        risk: 'high',
      });
      // The same bytes also look the same: one flag, the stronger one.
      const both = photo({ sameAs: same, similarTo: { ...same, distance: 0 } });
      expect(assessClaim(facts({ photos: [both] })).flags.map((f) => f.code)).toEqual([
        'duplicate_photo',
      ]);
    });

    it('flags similar_photo (high) for a perceptual hash within 10 of 64 bits, not 11', () => {
      const earlier = '0000000000000000';
      // 0x3ff has 10 bits set, 0x7ff has 11.
      const tenBits = assessClaim(
        facts({ photos: [photoComparedWith(earlier, '00000000000003ff')] }),
      );
      expect(tenBits).toEqual({
        flags: [
          {
            code: 'similar_photo',
            risk: 'high',
            detail: { photoId: 'pht_new', claimId: 'clm_old', distance: 10 },
          },
        ],
        risk: 'high',
      });
      const elevenBits = assessClaim(
        facts({ photos: [photoComparedWith(earlier, '00000000000007ff')] }),
      );
      expect(elevenBits).toEqual({ flags: [], risk: 'none' });
    });
  });

  describe('photo time', () => {
    it('flags photo_time_far (medium) beyond photoMaxHoursApart either way, not at exactly that', () => {
      for (const sign of [-1, 1]) {
        const at = (ms: number) => facts({ photos: [photo({ takenAt: shift(OCCURRED_AT, ms) })] });
        expect(assessClaim(at(sign * 48 * HOUR))).toEqual({ flags: [], risk: 'none' });
        expect(assessClaim(at(sign * (48 * HOUR + 1000)))).toEqual({
          flags: [
            { code: 'photo_time_far', risk: 'medium', detail: { photoId: 'pht_new', hours: 48 } },
          ],
          risk: 'medium',
        });
      }
    });

    it('reads the hours from the settings', () => {
      const threeHoursBefore = photo({ takenAt: shift(OCCURRED_AT, -3 * HOUR) });
      const codes = (hours: number) =>
        assessClaim(
          facts({ photos: [threeHoursBefore], settings: settings({ photoMaxHoursApart: hours }) }),
        ).flags.map((f) => f.code);
      expect(codes(3)).toEqual([]);
      expect(codes(2)).toEqual(['photo_time_far']);
    });

    it('flags photo_time_missing (low) for a photo without time only when the method is photo_geo', () => {
      const timeless = [photo({ takenAt: null })];
      expect(assessClaim(facts({ photos: timeless }))).toEqual({
        flags: [{ code: 'photo_time_missing', risk: 'low', detail: { photoId: 'pht_new' } }],
        risk: 'low',
      });
      for (const method of VERIFICATION_METHODS.filter((m) => m !== 'photo_geo')) {
        expect(assessClaim(facts({ method, photos: timeless })), method).toEqual({
          flags: [],
          risk: 'none',
        });
      }
    });
  });

  describe('locations', () => {
    const photoAt = (meters: number) =>
      assessClaim(facts({ photos: [photo(north(meters))] })).flags;

    it('flags photo_location_far (medium) just outside the site’s radius, not on its edge', () => {
      expect(photoAt(100)).toEqual([]);
      expect(photoAt(101)).toEqual([
        { code: 'photo_location_far', risk: 'medium', detail: { photoId: 'pht_new', meters: 101 } },
      ]);
    });

    it('makes photo_location_far high beyond 10 times the radius, medium up to it', () => {
      expect(photoAt(1000)).toEqual([
        {
          code: 'photo_location_far',
          risk: 'medium',
          detail: { photoId: 'pht_new', meters: 1000 },
        },
      ]);
      expect(photoAt(1001)).toEqual([
        { code: 'photo_location_far', risk: 'high', detail: { photoId: 'pht_new', meters: 1001 } },
      ]);
      expect(assessClaim(facts({ photos: [photo(north(1001))] })).risk).toBe('high');
    });

    it('flags device_location_far (medium, however far) outside the radius, not on its edge', () => {
      const deviceAt = (meters: number) => assessClaim(facts(north(meters)));
      expect(deviceAt(100)).toEqual({ flags: [], risk: 'none' });
      expect(deviceAt(101)).toEqual({
        flags: [{ code: 'device_location_far', risk: 'medium', detail: { meters: 101 } }],
        risk: 'medium',
      });
      expect(deviceAt(50_000)).toEqual({
        flags: [{ code: 'device_location_far', risk: 'medium', detail: { meters: 50_000 } }],
        risk: 'medium',
      });
    });

    it('checks no location without a site, nor a photo or device without a position', () => {
      const far = north(50_000);
      const noSite = { site: null, evidence: { photo: true, location: true, site: false } };
      expect(assessClaim(facts({ terms: noSite, ...far, photos: [photo(far)] }))).toEqual({
        flags: [],
        risk: 'none',
      });
      expect(
        assessClaim(
          facts({
            latitude: null,
            longitude: null,
            photos: [photo({ latitude: null, longitude: null })],
          }),
        ),
      ).toEqual({ flags: [], risk: 'none' });
    });
  });

  describe('the resident’s pace and account age', () => {
    it('flags many_claims (medium) when this claim is one more than velocityMaxClaims', () => {
      // recentClaims leaves this claim out: 9 before it make 10, the most allowed.
      expect(assessClaim(facts({ recentClaims: 9 }))).toEqual({ flags: [], risk: 'none' });
      expect(assessClaim(facts({ recentClaims: 10 }))).toEqual({
        flags: [{ code: 'many_claims', risk: 'medium', detail: { claims: 11, minutes: 60 } }],
        risk: 'medium',
      });
      const strict = settings({ velocityMaxClaims: 2, velocityWindowMinutes: 15 });
      expect(assessClaim(facts({ recentClaims: 1, settings: strict })).flags).toEqual([]);
      expect(assessClaim(facts({ recentClaims: 2, settings: strict })).flags).toEqual([
        { code: 'many_claims', risk: 'medium', detail: { claims: 3, minutes: 15 } },
      ]);
    });

    it('flags new_account (low) younger than newAccountDays, not at exactly that age', () => {
      const createdAgo = (ms: number, days = 3) =>
        assessClaim(
          facts({
            residentCreatedAt: shift(NOW, -ms),
            settings: settings({ newAccountDays: days }),
          }),
        );
      expect(createdAgo(3 * DAY)).toEqual({ flags: [], risk: 'none' });
      expect(createdAgo(3 * DAY - 1000)).toEqual({
        flags: [{ code: 'new_account', risk: 'low', detail: { days: 2 } }],
        risk: 'low',
      });
      expect(createdAgo(0)).toMatchObject({
        flags: [{ code: 'new_account', detail: { days: 0 } }],
      });
      // newAccountDays 0 turns the flag off, even for an account made this instant.
      expect(createdAgo(0, 0)).toEqual({ flags: [], risk: 'none' });
    });

    it('counts neither when a partner, an import or a report sent the claim', () => {
      const busyNewcomer = { recentClaims: 50, residentCreatedAt: NOW };
      expect(assessClaim(facts(busyNewcomer)).flags.map((f) => f.code)).toEqual([
        'many_claims',
        'new_account',
      ]);
      expect(
        assessClaim(facts({ ...busyNewcomer, submittedByResident: false, method: 'import' })),
      ).toEqual({ flags: [], risk: 'none' });
    });
  });

  describe('the claim’s risk', () => {
    it('is the highest of its flags’ risks, each photo checked on its own', () => {
      const newAccount = { residentCreatedAt: NOW };
      expect(assessClaim(facts(newAccount)).risk).toBe('low');
      const late = photo({ id: 'pht_late', takenAt: shift(OCCURRED_AT, 72 * HOUR) });
      const mediumOnly = assessClaim(facts({ ...newAccount, photos: [photo(), late] }));
      expect(mediumOnly.flags.map((f) => [f.code, f.risk])).toEqual([
        ['photo_time_far', 'medium'],
        ['new_account', 'low'],
      ]);
      expect(mediumOnly.risk).toBe('medium');
      const copied = photo({ id: 'pht_copy', sameAs: { claimId: 'clm_old', photoId: 'pht_old' } });
      const all = assessClaim(
        facts({ ...newAccount, pendingWouldExceed: true, photos: [late, copied] }),
      );
      expect(all.flags.map((f) => [f.code, f.risk])).toEqual([
        ['limit_pending', 'medium'],
        ['photo_time_far', 'medium'],
        ['duplicate_photo', 'high'],
        ['new_account', 'low'],
      ]);
      expect(all.risk).toBe('high');
    });

    it('raises no flag and no risk without photos, location, waiting claims, pace or a new account, for any method', () => {
      fc.assert(
        fc.property(
          fc.constantFrom(...VERIFICATION_METHODS),
          fc.record({
            newAccountDays: fc.integer({ min: 0, max: 60 }),
            velocityMaxClaims: fc.integer({ min: 1, max: 100 }),
            velocityWindowMinutes: fc.integer({ min: 1, max: 1440 }),
            photoMaxHoursApart: fc.integer({ min: 0, max: 240 }),
          }),
          fc.nat({ max: 99 }),
          fc.nat({ max: 1000 * 86_400 }),
          fc.boolean(),
          fc.boolean(),
          (method, numbers, recent, olderBySeconds, withSite, byResident) => {
            const result = assessClaim(
              facts({
                method,
                terms: { site: withSite ? SITE : null, evidence: facts().terms.evidence },
                latitude: null,
                longitude: null,
                photos: [],
                pendingWouldExceed: false,
                recentClaims: recent % numbers.velocityMaxClaims,
                residentCreatedAt: shift(
                  NOW,
                  -(numbers.newAccountDays * DAY + olderBySeconds * 1000),
                ),
                submittedByResident: byResident,
                settings: settings(numbers),
              }),
            );
            expect(result).toEqual({ flags: [], risk: 'none' });
            expect(approvesAutomatically(method)).toBe(method !== 'staff_review');
          },
        ),
      );
    });
  });
});

describe('approvesAutomatically', () => {
  it('leaves only staff_review to a person', () => {
    expect(approvesAutomatically('staff_review')).toBe(false);
    for (const method of [
      'partner_confirmation',
      'site_code',
      'photo_geo',
      'self_declared',
      'import',
    ] as const) {
      expect(approvesAutomatically(method), method).toBe(true);
    }
  });
});
