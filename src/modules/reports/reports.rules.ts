import type { FieldError } from '../../shared/errors.js';
import type { BoundingBox } from '../../shared/geo-grid.js';
import { LOCALES } from '../../shared/locales.js';
import {
  ATTRIBUTE_DATATYPES,
  type AttributeValue,
  type CategoryAttribute,
  type CategoryInput,
  CLOSED_SUB_STATUSES,
  type ReportStatus,
  type SubStatus,
} from './reports.types.js';

/** Pure rules of reports: what a category, an attribute value and a description may be. */

export const MAX_DESCRIPTION = 4000;
export const MAX_ATTRIBUTES = 30;
export const MAX_VALUES = 100;
export const CODE_PATTERN = /^[A-Za-z0-9_-]{1,48}$/;
/** How far "is this already reported?" looks by default, in metres. */
export const NEARBY_RADIUS_METERS = 250;
export const MAX_NEARBY_RADIUS_METERS = 2000;
/** How long a visitor's confirmation link works. */
export const CONFIRM_HOURS = 48;
/** Reports one visitor address may file in a day (each sends an email to that address). */
export const MAX_VISITOR_REPORTS_PER_DAY = 5;

/** Anything that looks like a tag or an HTML entity: the text is shown as plain text, never HTML. */
const HTML = /<\s*\/?\s*[a-z!?][^>]*>|&(#\d+|#x[0-9a-f]+|[a-z]+);/i;

export function containsHtml(text: string): boolean {
  return HTML.test(text);
}

/** Characters XML 1.0 cannot carry (control characters, lone surrogates): Open311 serves XML. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it finds
const NOT_IN_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|\p{Cs}/u;

export function hasControlCharacters(text: string): boolean {
  return NOT_IN_XML.test(text);
}

/** Problems of a free text that is shown as plain text (HTML, control characters). */
function plainTextErrors(text: string, field: string): FieldError[] {
  if (containsHtml(text)) {
    return [{ field, code: 'html', message: 'Write plain text: no HTML tags or entities.' }];
  }
  if (hasControlCharacters(text)) {
    return [{ field, code: 'control_characters', message: 'Remove the control characters.' }];
  }
  return [];
}

/** Problems with a report's description (`field` names where it was sent). */
export function descriptionErrors(
  text: string,
  field: string,
  options: { required: boolean },
): FieldError[] {
  if (options.required && text.trim().length === 0) {
    return [{ field, code: 'required', message: 'Describe the problem.' }];
  }
  if (text.length > MAX_DESCRIPTION) {
    return [
      {
        field,
        code: 'too_long',
        message: `Keep the description to ${MAX_DESCRIPTION} characters.`,
      },
    ];
  }
  return plainTextErrors(text, field);
}

/** Problems with a category as staff define it. */
export function categoryErrors(input: CategoryInput): FieldError[] {
  const errors: FieldError[] = [];
  if (!CODE_PATTERN.test(input.code)) {
    errors.push({
      field: '/code',
      code: 'pattern',
      message: 'Use 1 to 48 letters, digits, _ or -.',
    });
  }
  for (const locale of LOCALES) {
    if (!input.names[locale]?.trim()) {
      errors.push({ field: `/names/${locale}`, code: 'required', message: 'Give a name.' });
    }
  }
  const texts: [string, string][] = [
    ...LOCALES.map((l): [string, string] => [`/names/${l}`, input.names[l] ?? '']),
    ...LOCALES.map((l): [string, string] => [`/descriptions/${l}`, input.descriptions?.[l] ?? '']),
    ['/group', input.group ?? ''],
    ...(input.keywords ?? []).map((k, i): [string, string] => [`/keywords/${i}`, k]),
    ...(input.attributes ?? []).flatMap((a, i) => [
      ...LOCALES.map((l): [string, string] => [
        `/attributes/${i}/descriptions/${l}`,
        a.descriptions[l],
      ]),
      ...a.values.flatMap((v, j) =>
        LOCALES.map((l): [string, string] => [
          `/attributes/${i}/values/${j}/names/${l}`,
          v.names[l],
        ]),
      ),
    ]),
  ];
  for (const [field, text] of texts) errors.push(...plainTextErrors(text, field));
  const attributes = input.attributes ?? [];
  if (attributes.length > MAX_ATTRIBUTES) {
    errors.push({
      field: '/attributes',
      code: 'too_many',
      message: `At most ${MAX_ATTRIBUTES} attributes.`,
    });
  }
  const seen = new Set<string>();
  attributes.forEach((attribute, index) => {
    const at = `/attributes/${index}`;
    if (!CODE_PATTERN.test(attribute.code)) {
      errors.push({
        field: `${at}/code`,
        code: 'pattern',
        message: 'Use 1 to 48 letters, digits, _ or -.',
      });
    } else if (seen.has(attribute.code)) {
      errors.push({ field: `${at}/code`, code: 'duplicate', message: 'Each code once.' });
    }
    seen.add(attribute.code);
    if (!ATTRIBUTE_DATATYPES.includes(attribute.datatype)) {
      errors.push({ field: `${at}/datatype`, code: 'enum', message: 'Not an Open311 datatype.' });
    }
    const isList =
      attribute.datatype === 'singlevaluelist' || attribute.datatype === 'multivaluelist';
    if (isList && attribute.values.length === 0) {
      errors.push({
        field: `${at}/values`,
        code: 'required',
        message: 'A list needs at least one value.',
      });
    }
    if (!isList && attribute.values.length > 0) {
      errors.push({
        field: `${at}/values`,
        code: 'not_a_list',
        message: 'Only lists have values.',
      });
    }
    const keys = new Set<string>();
    attribute.values.forEach((value, v) => {
      if (!CODE_PATTERN.test(value.key) || keys.has(value.key)) {
        errors.push({
          field: `${at}/values/${v}/key`,
          code: 'pattern',
          message: 'Each key once: 1 to 48 letters, digits, _ or -.',
        });
      }
      keys.add(value.key);
    });
  });
  return errors;
}

/**
 * Checks attribute values against a category's attributes and returns them in stored form:
 * numbers as numbers, datetimes as ISO strings, multi-value lists as arrays of keys. Empty values
 * count as absent. `field` makes the error pointer of an attribute code.
 */
export function checkAttributes(
  definitions: readonly CategoryAttribute[],
  sent: Record<string, unknown>,
  field: (code: string) => string,
): { values: Record<string, AttributeValue>; errors: FieldError[] } {
  const values: Record<string, AttributeValue> = {};
  const errors: FieldError[] = [];
  const known = new Map(definitions.map((d) => [d.code, d]));
  for (const code of Object.keys(sent)) {
    if (!known.has(code)) {
      errors.push({ field: field(code), code: 'unknown_attribute', message: 'No such attribute.' });
    }
  }
  for (const definition of definitions) {
    const raw = sent[definition.code];
    const list = (Array.isArray(raw) ? raw : raw === undefined || raw === null ? [] : [raw])
      .map((v) => (typeof v === 'number' ? String(v) : v))
      .filter((v) => v !== '');
    const at = field(definition.code);
    if (list.length === 0) {
      if (definition.required) {
        errors.push({ field: at, code: 'required', message: 'This attribute is required.' });
      }
      continue;
    }
    if (list.some((v) => typeof v !== 'string')) {
      errors.push({ field: at, code: 'type', message: 'Give text values.' });
      continue;
    }
    const strings = list as string[];
    if (definition.datatype !== 'multivaluelist' && strings.length > 1) {
      errors.push({ field: at, code: 'single_value', message: 'Give one value.' });
      continue;
    }
    const one = strings[0]!;
    switch (definition.datatype) {
      case 'string':
      case 'text': {
        const max = definition.datatype === 'string' ? 255 : MAX_DESCRIPTION;
        const problems = plainTextErrors(one, at);
        if (one.length > max) {
          errors.push({ field: at, code: 'too_long', message: `At most ${max} characters.` });
        } else if (problems.length > 0) {
          errors.push(...problems);
        } else values[definition.code] = one;
        break;
      }
      case 'number': {
        const number = Number(one);
        if (!/^-?\d+(\.\d+)?$/.test(one.trim()) || !Number.isFinite(number)) {
          errors.push({ field: at, code: 'number', message: 'Give a number.' });
        } else values[definition.code] = number;
        break;
      }
      case 'datetime': {
        if (!W3C_DTF.test(one) || Number.isNaN(Date.parse(one))) {
          errors.push({
            field: at,
            code: 'datetime',
            message: 'Give a date and time like 2026-12-01T09:30:00+01:00.',
          });
        } else values[definition.code] = new Date(one).toISOString();
        break;
      }
      case 'singlevaluelist':
      case 'multivaluelist': {
        const keys = new Set(definition.values.map((v) => v.key));
        const wrong = strings.filter((v) => !keys.has(v));
        if (wrong.length > 0) {
          errors.push({
            field: at,
            code: 'not_in_list',
            message: `Choose from: ${[...keys].join(', ')}.`,
          });
        } else {
          values[definition.code] =
            definition.datatype === 'multivaluelist' ? [...new Set(strings)] : one;
        }
        break;
      }
    }
  }
  return { values, errors };
}

/** A W3C-DTF date-time with seconds optional and a time zone (Z or ±hh:mm). */
export const W3C_DTF = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** The Open311 status of a sub-status. */
export function statusOf(subStatus: SubStatus): ReportStatus {
  if (subStatus === 'unconfirmed') return 'pending';
  return (CLOSED_SUB_STATUSES as readonly string[]).includes(subStatus) ? 'closed' : 'open';
}

/** The time as W3C-DTF with its zone (UTC, `Z`), without milliseconds: Open311 clients expect it. */
export function w3cDate(iso: string): string {
  return `${iso.slice(0, 19)}Z`;
}

/**
 * A `bbox=minLon,minLat,maxLon,maxLat` parameter (the GeoJSON/OGC order) as a box; undefined when
 * it is not four numbers in range with min ≤ max.
 */
export function parseBbox(value: string): BoundingBox | undefined {
  const parts = value.split(',').map((part) => part.trim());
  if (parts.length !== 4 || parts.some((p) => !/^-?\d+(\.\d+)?$/.test(p))) return undefined;
  const [west, south, east, north] = parts.map(Number) as [number, number, number, number];
  if (south < -90 || north > 90 || west < -180 || east > 180) return undefined;
  if (south > north || west > east) return undefined;
  return { south, west, north, east };
}
