import type { LocalizedText } from '../../shared/locales.js';
import type { PartnerKind } from '../../shared/roles.js';

/** The catalogue's domain types: a municipality's activities and the rules each one carries. */

export const VERIFICATION_METHODS = [
  'staff_review',
  'partner_confirmation',
  'site_code',
  'photo_geo',
  'self_declared',
  'import',
] as const;
export type VerificationMethod = (typeof VERIFICATION_METHODS)[number];

export const ACTIVITY_CATEGORIES = [
  'energy',
  'waste',
  'reuse',
  'volunteering',
  'community',
  'nature',
  'mobility',
] as const;
export type ActivityCategory = (typeof ACTIVITY_CATEGORIES)[number];

export const UNITS = ['kg', 'hour', 'item'] as const;
export type Unit = (typeof UNITS)[number];

export const LIMIT_SCOPES = ['resident', 'household'] as const;
export type LimitScope = (typeof LIMIT_SCOPES)[number];

export const LIMIT_PERIODS = ['day', 'week', 'month', 'year', 'lifetime'] as const;
export type LimitPeriod = (typeof LIMIT_PERIODS)[number];

/** At most `maxCount` approved claims and/or `maxPoints` points per scope and period. */
export interface Limit {
  scope: LimitScope;
  period: LimitPeriod;
  maxCount?: number;
  maxPoints?: number;
}

/** Points the activity may award in total per period; awarding stops when it is spent. */
export interface Budget {
  period: Exclude<LimitPeriod, 'day' | 'week'>;
  points: number;
}

/** How many points a claim earns: a fixed amount, or per unit with a maximum per claim. */
export type Points =
  | { mode: 'fixed'; points: number }
  | { mode: 'per_unit'; unit: Unit; pointsPerUnit: number; maxPointsPerClaim: number };

/** The evidence a resident's claim must carry. */
export interface EvidenceRequired {
  photo: boolean;
  location: boolean;
  site: boolean;
}

/** Where the activity happens, for the location checks (photo or device far from the site). */
export interface ActivitySite {
  latitude: number;
  longitude: number;
  radiusMeters: number;
}

/** The rules of an activity from `effectiveFrom` on; a change is a new version. */
export interface ActivityTerms {
  names: LocalizedText;
  descriptions: LocalizedText;
  category: ActivityCategory;
  points: Points;
  /** One or more ways a claim is verified; the first is the default for residents' claims. */
  verificationMethods: VerificationMethod[];
  limits: Limit[];
  cooldownSeconds: number;
  /** The activity can be claimed from/until (ISO timestamps); null for open-ended. */
  validFrom: string | null;
  validUntil: string | null;
  budget: Budget | null;
  evidence: EvidenceRequired;
  site: ActivitySite | null;
  /** Partners of this kind (in the municipality) may confirm it or send its records. */
  partnerKind: PartnerKind | null;
  /** Only this partner may, when set. */
  partnerId: string | null;
  /** What the quantity measures for the impact figures, e.g. a waste stream (`paper`, `glass`). */
  impactKey: string | null;
  /**
   * `claims`: residents, partners and imports send claims. `reports`: paid only when staff accept
   * a resident's problem report (the reports module makes the claim); residents cannot claim it.
   */
  earnedThrough: 'claims' | 'reports';
}

export interface ActivityVersion extends ActivityTerms {
  id: string;
  activityId: string;
  effectiveFrom: string;
  createdAt: string;
}

export interface Activity {
  id: string;
  municipalityId: string;
  /** Stable per municipality, e.g. `green-energy`; used by imports and partner APIs. */
  code: string;
  status: 'active' | 'archived';
  /** The version in force now. */
  current: ActivityVersion;
  /** Announced changes: versions that take effect later, soonest first. */
  upcoming: ActivityVersion[];
  createdAt: string;
  updatedAt: string;
}
