import type { Locale } from '../../../i18n/locales.js';

type LocalizedText = Record<Locale, string>;

// Shapes of the earning API as the resident's pages read them (GET …/activities, /api/me/claims).

export type VerificationMethod =
  | 'staff_review'
  | 'partner_confirmation'
  | 'site_code'
  | 'photo_geo'
  | 'self_declared'
  | 'import';

export const CATEGORIES = [
  'energy',
  'waste',
  'reuse',
  'volunteering',
  'community',
  'nature',
  'mobility',
] as const;
export type Category = (typeof CATEGORIES)[number];

export type Unit = 'kg' | 'hour' | 'item';
export type LimitPeriod = 'day' | 'week' | 'month' | 'year' | 'lifetime';
export type PartnerKind =
  | 'merchant'
  | 'facility'
  | 'charity'
  | 'recycling_centre'
  | 'energy_provider';

export interface Limit {
  scope: 'resident' | 'household';
  period: LimitPeriod;
  maxCount?: number;
  maxPoints?: number;
}

export type Points =
  | { mode: 'fixed'; points: number }
  | { mode: 'per_unit'; unit: Unit; pointsPerUnit: number; maxPointsPerClaim: number };

export interface ActivityTerms {
  id: string;
  names: LocalizedText;
  descriptions: LocalizedText;
  category: Category;
  points: Points;
  verificationMethods: VerificationMethod[];
  limits: Limit[];
  cooldownSeconds: number;
  validFrom: string | null;
  validUntil: string | null;
  budget: { period: 'month' | 'year' | 'lifetime'; points: number } | null;
  evidence: { photo: boolean; location: boolean; site: boolean };
  partnerKind: PartnerKind | null;
  earnedThrough: 'claims' | 'reports';
  effectiveFrom: string;
}

export interface Activity {
  id: string;
  code: string;
  status: 'active' | 'archived';
  current: ActivityTerms;
  /** Announced changes, soonest first. */
  upcoming: ActivityTerms[];
}

export type ClaimStatus = 'submitted' | 'approved' | 'rejected' | 'withdrawn';

export type RejectReason =
  | 'not_eligible'
  | 'evidence_missing'
  | 'evidence_unclear'
  | 'duplicate'
  | 'limit_reached'
  | 'outside_area'
  | 'other';

export interface Claim {
  id: string;
  activityId: string;
  source: 'resident' | 'partner' | 'import' | 'staff' | 'report';
  quantity: number;
  requestedPoints: number;
  /** Points awarded; 0 until approved. */
  points: number;
  note: string | null;
  occurredAt: string;
  submittedAt: string;
  status: ClaimStatus;
  decidedAt: string | null;
  rejectReason: RejectReason | null;
  decisionNote: string | null;
  appealedAt: string | null;
  appealNote: string | null;
  photoIds: string[];
}

export interface UploadedPhoto {
  id: string;
  width: number;
  height: number;
  takenAt: string | null;
  hasLocation: boolean;
}

export interface RejectReasonTexts {
  items: { code: RejectReason; texts: LocalizedText }[];
}

/** What POST /api/me/claims takes. */
export interface ClaimDraftBody {
  activityId: string;
  quantity?: number;
  note?: string;
  latitude?: number;
  longitude?: number;
  photoIds?: string[];
  siteCode?: string;
  clientClaimId: string;
}
