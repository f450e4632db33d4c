import { normalizeMemberCode } from '../identity/identity.rules.js';

/**
 * Pure rules of recycling-centre visits: what one visit record (a resident, a waste stream, the
 * kilograms brought) must look like, the same for the visits API and each row of a visits file.
 * Whether the resident exists and whether the visit was already counted is the importer's
 * business (it needs the database).
 */

/** The fields of a visit record, as the visits file's header names them. */
export const VISIT_COLUMNS = ['visit_id', 'member_code', 'visited_at', 'stream', 'kg'] as const;
export type VisitColumn = (typeof VISIT_COLUMNS)[number];

export const MAX_VISIT_ID_LENGTH = 64;
export const MAX_KG = 100_000;
/** Earlier years are typing mistakes (0224, 1024), not visits. */
export const MIN_YEAR = 2000;

export interface Visit {
  visitId: string;
  /** Stored form (`XXXXX-XXXXX-C`) when well-formed; else as typed without spaces and dashes, which matches no resident. */
  memberCode: string;
  /** `YYYY-MM-DD` when only the date is known, else the instant as `toISOString()` gives it. */
  visitedAt: string;
  stream: string;
  /** Kilograms in thousandths, so no fraction is ever a float. */
  kgMilli: number;
}

export type VisitRejection =
  | 'bad_number'
  | 'bad_date'
  | 'bad_visit_id'
  | 'bad_stream'
  | 'missing_value';

export type VisitReading =
  | { ok: true; visit: Visit }
  | { ok: false; reason: VisitRejection; message: string };

const VISIT_ID = /^[A-Za-z0-9_.:-]{1,64}$/;
const STREAM = /^[a-z][a-z0-9_]{0,31}$/;
const KG = /^(\d{1,6})(?:[.,](\d{1,3}))?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** ISO 8601 date and time with its zone: `Z` or an offset, `T` or a space between. */
const TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(?:[Zz]|([+-])(\d{2}):?(\d{2}))$/;

/**
 * Checks one visit record given by column name (`visit_id`, `member_code`, `visited_at`,
 * `stream`, `kg`): the visit in its stored form, or the first problem (`missing_value`,
 * `bad_visit_id`, `bad_date`, `bad_stream`, `bad_number`) with a message for a clerk.
 */
export function parseVisitFields(
  fields: Readonly<Record<string, string | undefined>>,
): VisitReading {
  return readVisit(
    fields.visit_id ?? '',
    fields.member_code ?? '',
    fields.visited_at ?? '',
    fields.stream ?? '',
    fields.kg ?? '',
  );
}

/**
 * parseVisitFields over positional values, which spares the CSV reader an object per row;
 * `memberCodeOf` lets it remember the codes it has seen (a file repeats them row after row).
 */
export function readVisit(
  visitIdText: string,
  memberCodeText: string,
  visitedAtText: string,
  streamText: string,
  kgText: string,
  memberCodeOf: (typed: string) => string = storedMemberCode,
): VisitReading {
  const visitId = visitIdText.trim();
  const memberCode = memberCodeText.trim();
  const visitedAt = visitedAtText.trim();
  const stream = streamText.trim().toLowerCase();
  const kg = kgText.trim();
  if (!visitId || !memberCode || !visitedAt || !stream || !kg) {
    const values = [visitId, memberCode, visitedAt, stream, kg];
    const missing = VISIT_COLUMNS.filter((_, index) => !values[index]);
    return reject('missing_value', `No value for ${missing.join(', ')}.`);
  }
  if (!VISIT_ID.test(visitId)) {
    return reject(
      'bad_visit_id',
      `The visit id ${quoted(visitId)} is not 1 to ${MAX_VISIT_ID_LENGTH} letters, digits or _ . : -.`,
    );
  }
  const when = isoVisitTime(visitedAt);
  if (when === undefined) {
    return reject(
      'bad_date',
      `The visit time ${quoted(visitedAt)} is not a date (2024-05-31) or a time with its zone (2024-05-31T14:30:00+02:00).`,
    );
  }
  if (!STREAM.test(stream)) {
    return reject(
      'bad_stream',
      `The waste stream ${quoted(stream)} is not a stream name (a letter, then letters, digits or _, at most 32).`,
    );
  }
  const kgMilli = thousandths(kg);
  if (kgMilli === undefined) {
    return reject(
      'bad_number',
      `The weight ${quoted(kg)} is not a number of kg above 0 and up to ${MAX_KG}, with at most 3 decimals.`,
    );
  }
  return {
    ok: true,
    visit: {
      visitId,
      memberCode: memberCodeOf(memberCode),
      visitedAt: when,
      stream,
      kgMilli,
    },
  };
}

/**
 * A typed member code as residents' codes are stored (`XXXXX-XXXXX-C`); one that cannot be a
 * code comes back uppercase without spaces and dashes, and so matches no resident.
 */
export function storedMemberCode(typed: string): string {
  return normalizeMemberCode(typed) ?? typed.trim().toUpperCase().replace(/[\s-]/g, '');
}

/** Kilograms in thousandths (`12,5` → 12500), or undefined when not above 0 and at most MAX_KG. */
export function thousandths(text: string): number | undefined {
  const match = KG.exec(text);
  if (!match) return undefined;
  const value = Number(match[1]) * 1000 + Number((match[2] ?? '').padEnd(3, '0'));
  return value > 0 && value <= MAX_KG * 1000 ? value : undefined;
}

/**
 * A visit time as stored: a date stays `YYYY-MM-DD`, a time becomes UTC `toISOString()`.
 * A time without its zone is refused rather than guessed: the server's zone is not the centre's.
 */
export function isoVisitTime(text: string): string | undefined {
  if (DATE.test(text)) {
    return isCalendarDay(
      Number(text.slice(0, 4)),
      Number(text.slice(5, 7)),
      Number(text.slice(8, 10)),
    )
      ? text
      : undefined;
  }
  const match = TIME.exec(text);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second, fraction, sign, offsetHours, offsetMinutes] =
    match;
  const y = Number(year);
  const m = Number(month);
  const d = Number(day);
  const h = Number(hour);
  const min = Number(minute);
  const sec = Number(second ?? 0);
  const offset = sign ? Number(offsetHours) * 60 + Number(offsetMinutes) : 0;
  if (!isCalendarDay(y, m, d) || h > 23 || min > 59 || sec > 59) return undefined;
  if (Number(offsetHours ?? 0) > 14 || Number(offsetMinutes ?? 0) > 59) return undefined;
  const milliseconds = fraction ? Number(fraction.slice(1, 4).padEnd(3, '0')) : 0;
  const instant = Date.UTC(y, m - 1, d, h, min, sec, milliseconds);
  return new Date(instant - (sign === '-' ? -offset : offset) * 60_000).toISOString();
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isCalendarDay(year: number, month: number, day: number): boolean {
  if (year < MIN_YEAR || month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!);
}

const reject = (reason: VisitRejection, message: string): VisitReading => ({
  ok: false,
  reason,
  message,
});

function quoted(value: string): string {
  return `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
}
