import type { VerificationMethod } from '../catalog/catalog.types.js';

/** The claims module's domain types. */

export const CLAIM_STATUSES = ['submitted', 'approved', 'rejected', 'withdrawn'] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];

export const CLAIM_SOURCES = ['resident', 'partner', 'import', 'staff', 'report'] as const;
export type ClaimSource = (typeof CLAIM_SOURCES)[number];

export const RISK_LEVELS = ['none', 'low', 'medium', 'high'] as const;
export type Risk = (typeof RISK_LEVELS)[number];

/** Doubts the automatic checks raise; any flag sends a claim to the review queue. */
export const FLAG_CODES = [
  'limit_pending',
  'duplicate_photo',
  'similar_photo',
  'photo_time_far',
  'photo_time_missing',
  'photo_location_far',
  'device_location_far',
  'many_claims',
  'new_account',
] as const;
export type FlagCode = (typeof FLAG_CODES)[number];

export interface ClaimFlag {
  code: FlagCode;
  risk: Exclude<Risk, 'none'>;
  /** Facts behind the flag for the reviewer, e.g. `{ meters: 2400 }` or `{ claimId }`. */
  detail: Record<string, string | number>;
}

/** Reasons a reviewer chooses from when rejecting; each has a localized text for the resident. */
export const REJECT_REASONS = [
  'not_eligible',
  'evidence_missing',
  'evidence_unclear',
  'duplicate',
  'limit_reached',
  'outside_area',
  'other',
] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

export interface Claim {
  id: string;
  municipalityId: string;
  activityId: string;
  activityVersionId: string;
  residentId: string;
  householdId: string | null;
  source: ClaimSource;
  partnerId: string | null;
  method: VerificationMethod;
  /** The quantity in units of the activity (1 for a fixed-points activity). */
  quantity: number;
  /** Points asked for under the activity's terms, and the points awarded (0 until approved). */
  requestedPoints: number;
  points: number;
  note: string | null;
  latitude: number | null;
  longitude: number | null;
  siteLocationId: string | null;
  occurredAt: string;
  submittedAt: string;
  status: ClaimStatus;
  risk: Risk;
  flags: ClaimFlag[];
  decidedAt: string | null;
  decidedBy: { kind: string; id: string } | null;
  rejectReason: RejectReason | null;
  decisionNote: string | null;
  appealedAt: string | null;
  appealNote: string | null;
  transferId: string | null;
  photoIds: string[];
}

/** The municipality's earning settings. */
export interface EarningSettings {
  /** Points a resident may earn per calendar year across all activities; null: no cap. */
  yearlyCapPoints: number | null;
  /** Residents who signed up fewer days ago get the `new_account` flag. */
  newAccountDays: number;
  /** More than this many claims by one resident within the window get the `many_claims` flag. */
  velocityMaxClaims: number;
  velocityWindowMinutes: number;
  /** A photo taken further than this from the claimed time gets `photo_time_far`. */
  photoMaxHoursApart: number;
}

export const DEFAULT_EARNING_SETTINGS: EarningSettings = {
  yearlyCapPoints: null,
  newAccountDays: 3,
  velocityMaxClaims: 10,
  velocityWindowMinutes: 60,
  photoMaxHoursApart: 48,
};
