// `.js` so that test/web (NodeNext resolution) can import this file too.
import type { Locale } from '../../../i18n/locales.js';
import {
  emptyText,
  type FieldErrors,
  fieldReader,
  fromLocalInput,
  type LimitDraft,
  limitDraftsOf,
  placeErrors,
  requireNames,
  schemaKeywordCode,
  toLocalInput,
  trimmedText,
} from '../terms/termsDraft.js';
import type {
  ActivityCategory,
  ActivityTerms,
  BudgetPeriod,
  PartnerKind,
  Unit,
  VerificationMethod,
} from './earningTypes.js';

export {
  type FieldErrors,
  formPathOf,
  fromLocalInput,
  type LimitDraft,
  newLimitRow,
  newRowKey,
  toLocalInput,
} from '../terms/termsDraft.js';

// The catalogue editor's form as text fields (what a person types), and the way to and from the
// API's activity terms. Pure, so it is tested without a browser (test/web/activity-draft.test.ts).

export const COOLDOWN_UNITS = ['minutes', 'hours', 'days'] as const;
export type CooldownUnit = (typeof COOLDOWN_UNITS)[number];
const SECONDS: Record<CooldownUnit, number> = { minutes: 60, hours: 3600, days: 86_400 };

export interface ActivityDraft {
  code: string;
  names: Record<Locale, string>;
  descriptions: Record<Locale, string>;
  category: ActivityCategory;
  pointsMode: 'fixed' | 'per_unit';
  points: string;
  unit: Unit;
  pointsPerUnit: string;
  maxPointsPerClaim: string;
  /** In the order chosen: the first one a resident can use is the default for their claims. */
  methods: VerificationMethod[];
  limits: LimitDraft[];
  cooldown: string;
  cooldownUnit: CooldownUnit;
  /** `datetime-local` values (the staff member's own time zone); empty for open-ended. */
  validFrom: string;
  validUntil: string;
  budgetPeriod: BudgetPeriod | '';
  budgetPoints: string;
  evidencePhoto: boolean;
  evidenceLocation: boolean;
  evidenceSite: boolean;
  siteLatitude: string;
  siteLongitude: string;
  siteRadius: string;
  partnerKind: PartnerKind | '';
  partnerId: string;
  impactKey: string;
  earnedThrough: 'claims' | 'reports';
  /** For a change: from now on, or from a date (`datetime-local`). */
  effective: 'now' | 'date';
  effectiveFrom: string;
}

/** The form for a new activity: reviewed by staff, 10 points, no limits. */
export function emptyDraft(): ActivityDraft {
  return {
    code: '',
    names: emptyText(),
    descriptions: emptyText(),
    category: 'community',
    pointsMode: 'fixed',
    points: '10',
    unit: 'kg',
    pointsPerUnit: '1',
    maxPointsPerClaim: '100',
    methods: ['staff_review'],
    limits: [],
    cooldown: '0',
    cooldownUnit: 'hours',
    validFrom: '',
    validUntil: '',
    budgetPeriod: '',
    budgetPoints: '',
    evidencePhoto: false,
    evidenceLocation: false,
    evidenceSite: false,
    siteLatitude: '',
    siteLongitude: '',
    siteRadius: '',
    partnerKind: '',
    partnerId: '',
    impactKey: '',
    earnedThrough: 'claims',
    effective: 'now',
    effectiveFrom: '',
  };
}

/** The form filled with an activity's terms (to change them). */
export function draftFromTerms(code: string, terms: ActivityTerms): ActivityDraft {
  const base = emptyDraft();
  const cooldownUnit =
    [...COOLDOWN_UNITS].reverse().find((unit) => terms.cooldownSeconds % SECONDS[unit] === 0) ??
    'minutes';
  return {
    ...base,
    code,
    names: { ...terms.names },
    descriptions: { ...terms.descriptions },
    category: terms.category,
    pointsMode: terms.points.mode,
    ...(terms.points.mode === 'fixed'
      ? { points: String(terms.points.points) }
      : {
          unit: terms.points.unit,
          pointsPerUnit: String(terms.points.pointsPerUnit),
          maxPointsPerClaim: String(terms.points.maxPointsPerClaim),
        }),
    methods: [...terms.verificationMethods],
    limits: limitDraftsOf(terms.limits),
    cooldown:
      terms.cooldownSeconds === 0 ? '0' : String(terms.cooldownSeconds / SECONDS[cooldownUnit]),
    cooldownUnit: terms.cooldownSeconds === 0 ? 'hours' : cooldownUnit,
    validFrom: terms.validFrom ? toLocalInput(terms.validFrom) : '',
    validUntil: terms.validUntil ? toLocalInput(terms.validUntil) : '',
    budgetPeriod: terms.budget?.period ?? '',
    budgetPoints: terms.budget ? String(terms.budget.points) : '',
    evidencePhoto: terms.evidence.photo,
    evidenceLocation: terms.evidence.location,
    evidenceSite: terms.evidence.site,
    siteLatitude: terms.site ? String(terms.site.latitude) : '',
    siteLongitude: terms.site ? String(terms.site.longitude) : '',
    siteRadius: terms.site ? String(terms.site.radiusMeters) : '',
    partnerKind: terms.partnerKind ?? '',
    partnerId: terms.partnerId ?? '',
    impactKey: terms.impactKey ?? '',
    earnedThrough: terms.earnedThrough,
  };
}

/** Adds or removes a method, keeping the order in which the others were chosen. */
export function toggleMethod(
  methods: readonly VerificationMethod[],
  method: VerificationMethod,
  on: boolean,
): VerificationMethod[] {
  const without = methods.filter((m) => m !== method);
  return on ? [...without, method] : without;
}

/**
 * The terms the form describes, or the fields it cannot read (a number that is not one, a name
 * left empty, a date missing). Everything else — ranges, which settings go together — the API
 * checks, and its field errors are shown at the same places.
 */
export function termsFromDraft(
  draft: ActivityDraft,
): { terms: ActivityTerms; errors: FieldErrors } | { terms: null; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const { whole, decimal, instant, limits: readLimits } = fieldReader(errors);
  requireNames(draft.names, errors);
  const points: ActivityTerms['points'] =
    draft.pointsMode === 'fixed'
      ? { mode: 'fixed', points: whole('/points/points', draft.points) ?? 0 }
      : {
          mode: 'per_unit',
          unit: draft.unit,
          pointsPerUnit: whole('/points/pointsPerUnit', draft.pointsPerUnit) ?? 0,
          maxPointsPerClaim: whole('/points/maxPointsPerClaim', draft.maxPointsPerClaim) ?? 0,
        };
  if (draft.methods.length === 0) errors['/verificationMethods'] = 'required';
  const limits = readLimits(draft.limits);
  const cooldown = whole('/cooldownSeconds', draft.cooldown === '' ? '0' : draft.cooldown) ?? 0;
  const budgetPoints =
    draft.budgetPeriod === '' ? undefined : whole('/budget/points', draft.budgetPoints);
  const siteGiven = [draft.siteLatitude, draft.siteLongitude, draft.siteRadius].some(
    (text) => text.trim() !== '',
  );
  const site = siteGiven
    ? {
        latitude: decimal('/site/latitude', draft.siteLatitude) ?? 0,
        longitude: decimal('/site/longitude', draft.siteLongitude) ?? 0,
        radiusMeters: whole('/site/radiusMeters', draft.siteRadius) ?? 0,
      }
    : null;
  const validFrom = instant('/validFrom', draft.validFrom);
  const validUntil = instant('/validUntil', draft.validUntil);

  const terms: ActivityTerms = {
    names: trimmedText(draft.names),
    descriptions: trimmedText(draft.descriptions),
    category: draft.category,
    points,
    verificationMethods: [...draft.methods],
    limits,
    cooldownSeconds: cooldown * SECONDS[draft.cooldownUnit],
    validFrom,
    validUntil,
    budget:
      draft.budgetPeriod === '' ? null : { period: draft.budgetPeriod, points: budgetPoints ?? 0 },
    evidence: {
      photo: draft.evidencePhoto,
      location: draft.evidenceLocation,
      site: draft.evidenceSite,
    },
    site,
    partnerKind: draft.partnerKind === '' ? null : draft.partnerKind,
    partnerId: draft.partnerId === '' ? null : draft.partnerId,
    impactKey: draft.impactKey.trim() === '' ? null : draft.impactKey.trim(),
    earnedThrough: draft.earnedThrough,
  };
  return Object.keys(errors).length > 0 ? { terms: null, errors } : { terms, errors };
}

/** The effective date of a change as the API takes it: undefined for now; an error when missing. */
export function effectiveFromOf(draft: ActivityDraft): { at?: string; error?: string } {
  if (draft.effective === 'now') return {};
  if (draft.effectiveFrom.trim() === '') return { error: 'required' };
  const at = fromLocalInput(draft.effectiveFrom);
  return at ? { at } : { error: 'date' };
}

export const MESSAGE_CODES = [
  'range',
  'too_long',
  'required',
  'pattern',
  'duplicate',
  'photo_geo',
  'site_code',
  'in_the_past',
  'whole_number',
  'number',
  'date',
  'limit_empty',
  'exists',
  'invalid',
] as const;
export type MessageCode = (typeof MESSAGE_CODES)[number];

/** The error code of the catalogue's messages for an API error code (schema keywords too). */
export function messageCodeOf(code: string): MessageCode {
  const keyword = schemaKeywordCode(code);
  if (keyword) return keyword;
  switch (code) {
    case 'required':
    case 'pattern':
    case 'duplicate':
    case 'photo_geo':
    case 'site_code':
    case 'in_the_past':
    case 'whole_number':
    case 'number':
    case 'date':
    case 'limit_empty':
    case 'exists':
      return code as MessageCode;
    default:
      return 'invalid';
  }
}

// Every path the form shows an error at; an error elsewhere goes to the nearest one above it.
const FORM_PATHS =
  /^\/(code|names\/(nl|fr|de|en)|descriptions\/(nl|fr|de|en)|category|points\/(points|pointsPerUnit|maxPointsPerClaim)|verificationMethods|evidence|evidence\/site|limits|limits\/\d+|limits\/\d+\/(maxCount|maxPoints)|cooldownSeconds|validFrom|validUntil|budget|budget\/points|site|site\/(latitude|longitude|radiusMeters)|partnerKind|partnerId|impactKey|effectiveFrom)$/;

/**
 * Places the API's field errors in the form: each at its path or the nearest one above it
 * (`/limits/0/scope` → `/limits/0`); those with no place (`unplaced`) are said above the form.
 */
export function placeApiErrors(problems: readonly { field: string; code: string }[]): {
  fields: FieldErrors;
  unplaced: MessageCode[];
} {
  return placeErrors(problems, FORM_PATHS, messageCodeOf);
}
