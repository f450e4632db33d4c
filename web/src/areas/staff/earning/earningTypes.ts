// `.js` so that test/web (NodeNext resolution) can import this file too.
import type { Locale } from '../../../i18n/locales.js';

// Shapes of the catalogue and claims API (src/modules/catalog, src/modules/claims) that the
// staff pages read; kept here so the staff side does not depend on the resident side's types.

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

export const BUDGET_PERIODS = ['month', 'year', 'lifetime'] as const;
export type BudgetPeriod = (typeof BUDGET_PERIODS)[number];

export const PARTNER_KINDS = [
  'merchant',
  'facility',
  'charity',
  'recycling_centre',
  'energy_provider',
] as const;
export type PartnerKind = (typeof PARTNER_KINDS)[number];

export interface Limit {
  scope: LimitScope;
  period: LimitPeriod;
  maxCount?: number;
  maxPoints?: number;
}

export type Points =
  | { mode: 'fixed'; points: number }
  | { mode: 'per_unit'; unit: Unit; pointsPerUnit: number; maxPointsPerClaim: number };

export type LocalizedText = Record<Locale, string>;

export interface ActivityTerms {
  names: LocalizedText;
  descriptions: LocalizedText;
  category: ActivityCategory;
  points: Points;
  verificationMethods: VerificationMethod[];
  limits: Limit[];
  cooldownSeconds: number;
  validFrom: string | null;
  validUntil: string | null;
  budget: { period: BudgetPeriod; points: number } | null;
  evidence: { photo: boolean; location: boolean; site: boolean };
  site: { latitude: number; longitude: number; radiusMeters: number } | null;
  partnerKind: PartnerKind | null;
  partnerId: string | null;
  impactKey: string | null;
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
  code: string;
  status: 'active' | 'archived';
  current: ActivityVersion;
  upcoming: ActivityVersion[];
  createdAt: string;
  updatedAt: string;
}

export const CLAIM_STATUSES = ['submitted', 'approved', 'rejected', 'withdrawn'] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];

export const RISK_LEVELS = ['none', 'low', 'medium', 'high'] as const;
export type Risk = (typeof RISK_LEVELS)[number];

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

export interface ClaimFlag {
  code: FlagCode;
  risk: Exclude<Risk, 'none'>;
  detail: Record<string, string | number>;
}

export interface Claim {
  id: string;
  activityId: string;
  activityVersionId: string;
  residentId: string;
  householdId: string | null;
  source: 'resident' | 'partner' | 'import' | 'staff' | 'report';
  partnerId: string | null;
  method: VerificationMethod;
  quantity: number;
  requestedPoints: number;
  points: number;
  note: string | null;
  latitude: number | null;
  longitude: number | null;
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
  photoIds: string[];
}

export interface ClaimPage {
  items: Claim[];
  total?: number;
}

export interface ClaimDetail {
  claim: Claim;
  activity: Activity;
  /** The terms the claim was made under. */
  terms?: Activity['current'];
  /** The decider's name when a colleague or an operator decided. */
  decidedByName?: string | null;
  resident: { id: string; memberCode: string; displayName: string | null; createdAt: string };
  history: Claim[];
}

export interface BulkApproveResult {
  items: { id: string; status: 'approved' | 'refused'; code?: string; claim?: Claim }[];
}

export interface RejectReasonTemplate {
  code: RejectReason;
  texts: LocalizedText;
}

export interface EarningSettings {
  yearlyCapPoints: number | null;
  newAccountDays: number;
  velocityMaxClaims: number;
  velocityWindowMinutes: number;
  photoMaxHoursApart: number;
}
