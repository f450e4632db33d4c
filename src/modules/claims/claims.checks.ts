import { distanceMeters } from '../../shared/geo.js';
import type { ActivityTerms, VerificationMethod } from '../catalog/catalog.types.js';
import type { ClaimFlag, EarningSettings, Risk } from './claims.types.js';

/**
 * The automatic checks that raise doubt about a claim (pure). Checks that can only say no —
 * limits already reached, the window closed, a cooldown — refuse the claim before it is stored
 * (claims.service.ts); these flag it for a reviewer and set its risk.
 */

export interface PhotoFacts {
  id: string;
  takenAt: string | null;
  latitude: number | null;
  longitude: number | null;
  /** An earlier claim's photo with the same bytes, or one that looks the same. */
  sameAs: { claimId: string; photoId: string } | null;
  similarTo: { claimId: string; photoId: string; distance: number } | null;
}

export interface ClaimFacts {
  terms: Pick<ActivityTerms, 'site' | 'evidence'>;
  method: VerificationMethod;
  occurredAt: string;
  latitude: number | null;
  longitude: number | null;
  photos: readonly PhotoFacts[];
  /** Points caps counting claims still waiting would lower or refuse this one. */
  pendingWouldExceed: boolean;
  /** The resident's claims (any state) within the velocity window, this one excluded. */
  recentClaims: number;
  residentCreatedAt: string;
  /** Pace and account age only matter when the resident sent the claim, not a partner. */
  submittedByResident: boolean;
  now: string;
  settings: EarningSettings;
}

const RISK_ORDER: Risk[] = ['none', 'low', 'medium', 'high'];

/** Every flag the facts raise, and the claim's risk (the highest flag's; `none` without flags). */
export function assessClaim(facts: ClaimFacts): { flags: ClaimFlag[]; risk: Risk } {
  const flags: ClaimFlag[] = [];
  if (facts.pendingWouldExceed) flags.push({ code: 'limit_pending', risk: 'medium', detail: {} });
  const site = facts.terms.site;
  for (const photo of facts.photos) {
    if (photo.sameAs) {
      flags.push({
        code: 'duplicate_photo',
        risk: 'high',
        detail: { photoId: photo.id, claimId: photo.sameAs.claimId },
      });
    } else if (photo.similarTo) {
      flags.push({
        code: 'similar_photo',
        risk: 'high',
        detail: {
          photoId: photo.id,
          claimId: photo.similarTo.claimId,
          distance: photo.similarTo.distance,
        },
      });
    }
    if (photo.takenAt === null) {
      if (facts.method === 'photo_geo') {
        flags.push({ code: 'photo_time_missing', risk: 'low', detail: { photoId: photo.id } });
      }
    } else {
      const hours = Math.abs(Date.parse(photo.takenAt) - Date.parse(facts.occurredAt)) / 3.6e6;
      if (hours > facts.settings.photoMaxHoursApart) {
        flags.push({
          code: 'photo_time_far',
          risk: 'medium',
          detail: { photoId: photo.id, hours: Math.round(hours) },
        });
      }
    }
    if (site && photo.latitude !== null && photo.longitude !== null) {
      const meters = Math.round(
        distanceMeters(site, photo as { latitude: number; longitude: number }),
      );
      if (meters > site.radiusMeters) {
        flags.push({
          code: 'photo_location_far',
          risk: meters > 10 * site.radiusMeters ? 'high' : 'medium',
          detail: { photoId: photo.id, meters },
        });
      }
    }
  }
  if (site && facts.latitude !== null && facts.longitude !== null) {
    const meters = Math.round(
      distanceMeters(site, { latitude: facts.latitude, longitude: facts.longitude }),
    );
    if (meters > site.radiusMeters) {
      flags.push({ code: 'device_location_far', risk: 'medium', detail: { meters } });
    }
  }
  if (facts.submittedByResident && facts.recentClaims >= facts.settings.velocityMaxClaims) {
    flags.push({
      code: 'many_claims',
      risk: 'medium',
      detail: { claims: facts.recentClaims + 1, minutes: facts.settings.velocityWindowMinutes },
    });
  }
  const ageDays = (Date.parse(facts.now) - Date.parse(facts.residentCreatedAt)) / 8.64e7;
  if (facts.submittedByResident && ageDays < facts.settings.newAccountDays) {
    flags.push({ code: 'new_account', risk: 'low', detail: { days: Math.floor(ageDays) } });
  }
  return { flags, risk: highestRisk(flags) };
}

/** The highest risk among the flags. */
export function highestRisk(flags: readonly ClaimFlag[]): Risk {
  let risk: Risk = 'none';
  for (const flag of flags) {
    if (RISK_ORDER.indexOf(flag.risk) > RISK_ORDER.indexOf(risk)) risk = flag.risk;
  }
  return risk;
}

/**
 * Whether a claim verified by `method` is approved without a reviewer when nothing is flagged.
 * Staff review always needs a person; the others are verified by their evidence or their source.
 */
export function approvesAutomatically(method: VerificationMethod): boolean {
  return method !== 'staff_review';
}
