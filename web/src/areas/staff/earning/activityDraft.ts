// `.js` so that test/web (NodeNext resolution) can import this file too.
import type { Locale } from '../../../i18n/locales.js';
import type {
  ActivityCategory,
  ActivityTerms,
  BudgetPeriod,
  LimitPeriod,
  LimitScope,
  PartnerKind,
  Unit,
  VerificationMethod,
} from './earningTypes.js';

// The catalogue editor's form as text fields (what a person types), and the way to and from the
// API's activity terms. Pure, so it is tested without a browser (test/web/activity-draft.test.ts).

const LOCALE_ORDER: readonly Locale[] = ['nl', 'fr', 'de', 'en'];

export const COOLDOWN_UNITS = ['minutes', 'hours', 'days'] as const;
export type CooldownUnit = (typeof COOLDOWN_UNITS)[number];
const SECONDS: Record<CooldownUnit, number> = { minutes: 60, hours: 3600, days: 86_400 };

export interface LimitDraft {
  /** Stable React key of the row. */
  key: string;
  scope: LimitScope;
  period: LimitPeriod;
  maxCount: string;
  maxPoints: string;
}

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

/** What is wrong with a field, by its path in the terms (`/names/nl`, `/limits/0/maxCount`). */
export type FieldErrors = Record<string, string>;

const emptyText = (): Record<Locale, string> => ({ nl: '', fr: '', de: '', en: '' });

let rowCounter = 0;
/** A fresh key for a new limit row. */
export function newRowKey(): string {
  rowCounter += 1;
  return `limit-${rowCounter}`;
}

/** A new limit row: once per resident per day, until the admin changes it. */
export function newLimitRow(): LimitDraft {
  return { key: newRowKey(), scope: 'resident', period: 'day', maxCount: '1', maxPoints: '' };
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
    limits: terms.limits.map((limit) => ({
      key: newRowKey(),
      scope: limit.scope,
      period: limit.period,
      maxCount: limit.maxCount === undefined ? '' : String(limit.maxCount),
      maxPoints: limit.maxPoints === undefined ? '' : String(limit.maxPoints),
    })),
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
  const whole = (path: string, text: string, optional = false): number | undefined => {
    const trimmed = text.trim();
    if (trimmed === '') {
      if (!optional) errors[path] = 'required';
      return undefined;
    }
    if (!/^\d+$/.test(trimmed)) {
      errors[path] = 'whole_number';
      return undefined;
    }
    return Number(trimmed);
  };
  const decimal = (path: string, text: string): number | undefined => {
    const trimmed = text.trim().replace(',', '.');
    const value = trimmed === '' ? Number.NaN : Number(trimmed);
    if (!Number.isFinite(value)) {
      errors[path] = trimmed === '' ? 'required' : 'number';
      return undefined;
    }
    return value;
  };
  const instant = (path: string, text: string): string | null => {
    if (text.trim() === '') return null;
    const iso = fromLocalInput(text);
    if (!iso) errors[path] = 'date';
    return iso;
  };

  for (const locale of LOCALE_ORDER) {
    if (draft.names[locale].trim() === '') errors[`/names/${locale}`] = 'required';
  }
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
  const limits = draft.limits.map((row, index) => {
    const maxCount = whole(`/limits/${index}/maxCount`, row.maxCount, true);
    const maxPoints = whole(`/limits/${index}/maxPoints`, row.maxPoints, true);
    if (row.maxCount.trim() === '' && row.maxPoints.trim() === '') {
      errors[`/limits/${index}`] = 'limit_empty';
    }
    return {
      scope: row.scope,
      period: row.period,
      ...(maxCount !== undefined && { maxCount }),
      ...(maxPoints !== undefined && { maxPoints }),
    };
  });
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

function trimmedText(text: Record<Locale, string>): Record<Locale, string> {
  return { nl: text.nl.trim(), fr: text.fr.trim(), de: text.de.trim(), en: text.en.trim() };
}

/** An ISO instant as a `datetime-local` value in this browser's time zone (`YYYY-MM-DDTHH:mm`). */
export function toLocalInput(iso: string): string {
  const date = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(
    date.getHours(),
  )}:${pad(date.getMinutes())}`;
}

/** A `datetime-local` value (this browser's time zone) as an ISO instant; null when unreadable. */
export function fromLocalInput(value: string): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value.trim());
  if (!match) return null;
  const [, y, mo, d, h, mi] = match.map(Number) as [number, number, number, number, number, number];
  const date = new Date(y, mo - 1, d, h, mi);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/**
 * Where an API field error belongs in the form: the pointer without `/body` and `/terms`
 * (`/body/terms/names/nl` → `/names/nl`); `/code` and `/effectiveFrom` stay as they are.
 */
export function formPathOf(pointer: string): string {
  let path = pointer.startsWith('/body') ? pointer.slice('/body'.length) : pointer;
  if (path.startsWith('/terms')) path = path.slice('/terms'.length);
  return path === '' ? '/' : path;
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
  switch (code) {
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'minItems':
    case 'maxItems':
    case 'minLength':
    case 'range':
      return 'range';
    case 'maxLength':
    case 'too_long':
      return 'too_long';
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
  const fields: FieldErrors = {};
  const unplaced: MessageCode[] = [];
  for (const problem of problems) {
    let path = formPathOf(problem.field);
    while (path !== '' && !FORM_PATHS.test(path)) path = path.slice(0, path.lastIndexOf('/'));
    const code = messageCodeOf(problem.code);
    if (path === '') unplaced.push(code);
    else fields[path] ??= code;
  }
  return { fields, unplaced };
}
