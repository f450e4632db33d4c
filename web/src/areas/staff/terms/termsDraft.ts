// `.js` so that test/web (NodeNext resolution) can import this file too.
import type { Locale } from '../../../i18n/locales.js';
import type { Limit, LimitPeriod, LimitScope } from '../earning/earningTypes.js';

// What the catalogue editors (activities and rewards) share: texts in four languages, limit rows,
// reading numbers, amounts and dates as typed, and placing the API's field errors in a form. Pure,
// so it is tested without a browser (test/web/activity-draft.test.ts, reward-draft.test.ts).

export const LOCALE_ORDER: readonly Locale[] = ['nl', 'fr', 'de', 'en'];

/** What is wrong with a field, by its path in the terms (`/names/nl`, `/limits/0/maxCount`). */
export type FieldErrors = Record<string, string>;

export const emptyText = (): Record<Locale, string> => ({ nl: '', fr: '', de: '', en: '' });

export function trimmedText(text: Record<Locale, string>): Record<Locale, string> {
  return { nl: text.nl.trim(), fr: text.fr.trim(), de: text.de.trim(), en: text.en.trim() };
}

/** A name is needed in every language: the error for each one left empty. */
export function requireNames(names: Record<Locale, string>, errors: FieldErrors): void {
  for (const locale of LOCALE_ORDER) {
    if (names[locale].trim() === '') errors[`/names/${locale}`] = 'required';
  }
}

export interface LimitDraft {
  /** Stable React key of the row. */
  key: string;
  scope: LimitScope;
  period: LimitPeriod;
  maxCount: string;
  maxPoints: string;
}

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

/** The limit rows of a set of terms. */
export function limitDraftsOf(limits: readonly Limit[]): LimitDraft[] {
  return limits.map((limit) => ({
    key: newRowKey(),
    scope: limit.scope,
    period: limit.period,
    maxCount: limit.maxCount === undefined ? '' : String(limit.maxCount),
    maxPoints: limit.maxPoints === undefined ? '' : String(limit.maxPoints),
  }));
}

/** Reads what a person typed into numbers and instants, noting each field it cannot read. */
export function fieldReader(errors: FieldErrors) {
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
  /** Euros as typed ("5", "5,50", "€ 1.234,50", "1,234.50") in cents. */
  const cents = (path: string, text: string): number | undefined => {
    const trimmed = text.trim();
    if (trimmed === '') {
      errors[path] = 'required';
      return undefined;
    }
    const value = centsOf(trimmed);
    if (value === null) errors[path] = 'amount';
    return value ?? undefined;
  };
  const instant = (path: string, text: string): string | null => {
    if (text.trim() === '') return null;
    const iso = fromLocalInput(text);
    if (!iso) errors[path] = 'date';
    return iso;
  };
  const limits = (rows: readonly LimitDraft[]): Limit[] =>
    rows.map((row, index) => {
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
  return { whole, decimal, cents, instant, limits };
}

/**
 * An amount in euros as a person types it, in cents; null when it is not one. A `,` or `.`
 * followed by one or two digits at the end is the decimal separator; the other one may group
 * thousands by three ("1.234,56", "1,234.56"). Spaces and a euro sign are ignored.
 */
export function centsOf(text: string): number | null {
  const bare = text.replace(/€|\s|\u00a0|\u202f/g, '');
  const match = /^(\d+|\d{1,3}(?:([.,])\d{3})(?:\2\d{3})*)(?:([.,])(\d{1,2}))?$/.exec(bare);
  if (!match) return null;
  const [, whole, group, decimal, fraction] = match;
  // A group separator is not also the decimal one: "1.234.5" is not an amount.
  if (group && decimal && group === decimal) return null;
  const value = Number(whole!.replace(/[.,]/g, '')) * 100 + Number((fraction ?? '').padEnd(2, '0'));
  return Number.isSafeInteger(value) ? value : null;
}

/** Cents as a person would type them back in the form: "5", "5,50" (comma in nl/fr/de). */
export function centsInput(cents: number, locale: Locale): string {
  const euros = Math.floor(cents / 100);
  const rest = cents % 100;
  if (rest === 0) return String(euros);
  return `${euros}${locale === 'en' ? '.' : ','}${String(rest).padStart(2, '0')}`;
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

/**
 * Places the API's field errors in a form: each at its path or the nearest one above it that
 * `formPaths` knows (`/limits/0/scope` → `/limits/0`), its code read by `codeOf`; those with no
 * place (`unplaced`) are said above the form.
 */
export function placeErrors<Code extends string>(
  problems: readonly { field: string; code: string }[],
  formPaths: RegExp,
  codeOf: (code: string) => Code,
): { fields: FieldErrors; unplaced: Code[] } {
  const fields: FieldErrors = {};
  const unplaced: Code[] = [];
  for (const problem of problems) {
    let path = formPathOf(problem.field);
    while (path !== '' && !formPaths.test(path)) path = path.slice(0, path.lastIndexOf('/'));
    const code = codeOf(problem.code);
    if (path === '') unplaced.push(code);
    else fields[path] ??= code;
  }
  return { fields, unplaced };
}

/** The message code for a JSON-schema keyword the API names (`minimum` → `range`), or null. */
export function schemaKeywordCode(code: string): 'range' | 'too_long' | null {
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
    default:
      return null;
  }
}
