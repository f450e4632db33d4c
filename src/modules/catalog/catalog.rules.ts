import type { FieldError } from '../../shared/errors.js';
import { LOCALES, type Locale } from '../../shared/locales.js';
import type { ActivityTerms, ActivityVersion, Limit } from './catalog.types.js';

/** Pure rules of the activity catalogue: which terms make sense together, which version applies. */

export const ACTIVITY_CODE_PATTERN = /^[a-z0-9][a-z0-9-]{1,47}$/;
export const MAX_ACTIVITY_POINTS = 100_000;
const MAX_NAME = 120;
const MAX_DESCRIPTION = 2000;

/**
 * Every problem with a set of terms, beyond what the schema checks (types and ranges): texts in
 * all four languages, a unit for per-unit points, methods without repeats that the evidence and
 * partner settings support, one limit per scope and period, a window that ends after it starts.
 */
export function termsErrors(terms: ActivityTerms): FieldError[] {
  const errors: FieldError[] = [];
  const add = (field: string, code: string, message: string) =>
    errors.push({ field, code, message });
  errors.push(...textErrors(terms));
  const points = terms.points;
  if (points.mode === 'fixed') {
    if (!isCount(points.points, MAX_ACTIVITY_POINTS)) {
      add('/points/points', 'range', `Award 1 to ${MAX_ACTIVITY_POINTS} points.`);
    }
  } else {
    if (!isCount(points.pointsPerUnit, MAX_ACTIVITY_POINTS)) {
      add('/points/pointsPerUnit', 'range', `Award 1 to ${MAX_ACTIVITY_POINTS} points per unit.`);
    }
    if (!isCount(points.maxPointsPerClaim, MAX_ACTIVITY_POINTS)) {
      add('/points/maxPointsPerClaim', 'range', `Cap a claim at 1 to ${MAX_ACTIVITY_POINTS}.`);
    }
  }
  const methods = terms.verificationMethods;
  if (methods.length === 0)
    add('/verificationMethods', 'required', 'Choose how claims are verified.');
  if (new Set(methods).size !== methods.length) {
    add('/verificationMethods', 'duplicate', 'Name each method once.');
  }
  const needsPartner = methods.some(
    (m) => m === 'partner_confirmation' || m === 'import' || m === 'site_code',
  );
  if (needsPartner && terms.partnerKind === null && terms.partnerId === null) {
    add('/partnerKind', 'required', 'Say which partners confirm, send records or show site codes.');
  }
  if (methods.includes('photo_geo') && !(terms.evidence.photo && terms.evidence.location)) {
    add('/evidence', 'photo_geo', 'Photo and location checks need a photo and a location.');
  }
  if (terms.evidence.site && !methods.includes('site_code')) {
    add('/evidence/site', 'site_code', 'A site as evidence needs the site-code method.');
  }
  errors.push(...limitsErrors(terms.limits), ...windowErrors(terms));
  return errors;
}

/** Names of 1-120 characters and descriptions of at most 2000, in all four languages. */
export function textErrors(terms: {
  names: Record<Locale, string>;
  descriptions: Record<Locale, string>;
}): FieldError[] {
  const errors: FieldError[] = [];
  for (const locale of LOCALES) {
    const name = terms.names[locale]?.trim() ?? '';
    if (name === '' || name.length > MAX_NAME) {
      errors.push({
        field: `/names/${locale}`,
        code: 'required',
        message: `Give a name of 1-${MAX_NAME} characters.`,
      });
    }
    if ((terms.descriptions[locale] ?? '').length > MAX_DESCRIPTION) {
      errors.push({
        field: `/descriptions/${locale}`,
        code: 'too_long',
        message: `At most ${MAX_DESCRIPTION} characters.`,
      });
    }
  }
  return errors;
}

/** One limit per scope and period, each with a maximum count or maximum points. */
export function limitsErrors(limits: readonly Limit[]): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  limits.forEach((limit, index) => {
    const key = `${limit.scope}:${limit.period}`;
    if (seen.has(key)) {
      errors.push({
        field: `/limits/${index}`,
        code: 'duplicate',
        message: 'One limit per scope and period.',
      });
    }
    seen.add(key);
    if (limit.maxCount === undefined && limit.maxPoints === undefined) {
      errors.push({
        field: `/limits/${index}`,
        code: 'required',
        message: 'A limit needs a maximum count or maximum points.',
      });
    }
  });
  return errors;
}

/** A window that ends after it starts. */
export function windowErrors(terms: {
  validFrom: string | null;
  validUntil: string | null;
}): FieldError[] {
  return terms.validFrom && terms.validUntil && terms.validFrom >= terms.validUntil
    ? [{ field: '/validUntil', code: 'range', message: 'The window must end after it starts.' }]
    : [];
}

/** The version in force at `at`: the latest whose effective date has come. Versions any order. */
export function versionInForce<V extends Pick<ActivityVersion, 'effectiveFrom'>>(
  versions: readonly V[],
  at: string,
): V | undefined {
  let best: V | undefined;
  for (const version of versions) {
    if (version.effectiveFrom <= at && (!best || version.effectiveFrom > best.effectiveFrom)) {
      best = version;
    }
  }
  return best;
}

/** Versions announced for later than `at`, soonest first. */
export function upcomingVersions<V extends Pick<ActivityVersion, 'effectiveFrom'>>(
  versions: readonly V[],
  at: string,
): V[] {
  return versions
    .filter((version) => version.effectiveFrom > at)
    .sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom));
}

/** Whether the activity's window is open at `at`. */
export function isWithinWindow(terms: Pick<ActivityTerms, 'validFrom' | 'validUntil'>, at: string) {
  return (
    (!terms.validFrom || terms.validFrom <= at) && (!terms.validUntil || at < terms.validUntil)
  );
}

function isCount(value: number, max: number) {
  return Number.isSafeInteger(value) && value >= 1 && value <= max;
}
