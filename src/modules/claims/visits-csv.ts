import type { Readable } from 'node:stream';
import { DomainError } from '../../shared/errors.js';
import { type CsvRecord, csvMalformed, readCsvRecords } from './csv-records.js';
import { readVisit, storedMemberCode, VISIT_COLUMNS, type VisitReading } from './visits.rules.js';

export {
  parseVisitFields,
  VISIT_COLUMNS,
  type Visit,
  type VisitReading,
  type VisitRejection,
} from './visits.rules.js';

/**
 * Reading a recycling centre's visits file, one row per visit and waste stream under the header
 * `visit_id,member_code,visited_at,stream,kg` (any order and case; `,` or `;`). It is read twice,
 * streaming with constant memory: inspectVisitsCsv checks the file's shape and counts its rows,
 * then readVisitsCsv gives each row checked on its own, so one bad row never stops an import.
 */

/** A row of the file: its physical line (the header is line 1) and the visit or what is wrong. */
export type VisitRow = { line: number } & VisitReading;

/** readVisitsCsv yields this many rows at a time (the last batch may be smaller). */
export const VISIT_BATCH_SIZE = 2000;

/**
 * Reads the whole file once to check its shape and returns how many data rows it has (for a
 * progress bar). Throws `csv_columns` (details: expected, found, missing, unknown) for a header
 * that does not name exactly the visit columns, `csv_malformed` (details: line, reason) for
 * broken quoting or a row with another number of fields, `csv_empty` without data rows.
 */
export async function inspectVisitsCsv(source: () => Readable): Promise<{ rows: number }> {
  let rows = 0;
  for await (const records of visitRecords(source())) rows += records.length;
  return { rows };
}

/**
 * Reads the file's rows, in batches of VISIT_BATCH_SIZE, each checked by the visit rules; the
 * same file errors as inspectVisitsCsv stop it (a file that changed since it was inspected).
 */
export async function* readVisitsCsv(
  source: Readable,
): AsyncGenerator<VisitRow[], void, undefined> {
  let batch: VisitRow[] = [];
  const memberCodeOf = remembered(storedMemberCode, MEMBER_CODES_REMEMBERED);
  for await (const records of visitRecords(source)) {
    for (const { line, fields } of records) {
      const reading = readVisit(
        fields[0]!,
        fields[1]!,
        fields[2]!,
        fields[3]!,
        fields[4]!,
        memberCodeOf,
      );
      batch.push({ line, ...reading });
      if (batch.length === VISIT_BATCH_SIZE) {
        yield batch;
        batch = [];
      }
    }
  }
  if (batch.length > 0) yield batch;
}

/** So many typed member codes are remembered while a file is read; then it starts afresh. */
const MEMBER_CODES_REMEMBERED = 20_000;

/** `compute` with its last answers (up to `max` of them) remembered, so memory stays bounded. */
function remembered(compute: (key: string) => string, max: number): (key: string) => string {
  const answers = new Map<string, string>();
  return (key) => {
    let answer = answers.get(key);
    if (answer === undefined) {
      if (answers.size >= max) answers.clear();
      answer = compute(key);
      answers.set(key, answer);
    }
    return answer;
  };
}

/**
 * The file's data rows with their values in VISIT_COLUMNS order; blank rows (Excel leaves
 * `;;;;` lines) are skipped. Throws the file errors inspectVisitsCsv lists.
 */
async function* visitRecords(source: Readable): AsyncGenerator<CsvRecord[], void, undefined> {
  let order: number[] | undefined;
  let width = 0;
  let rows = 0;
  for await (const records of readCsvRecords(source)) {
    const data: CsvRecord[] = [];
    for (const record of records) {
      if (isBlankRecord(record.fields)) continue;
      if (order === undefined) {
        const names = withoutTrailingBlanks(record.fields).map((name) => name.trim().toLowerCase());
        order = columnOrder(names);
        width = names.length;
        continue;
      }
      const { fields } = record;
      if (fields.length !== width && !hasWidth(fields, width)) {
        throw csvMalformed(
          record.line,
          'field_count',
          `the row has ${withoutTrailingBlanks(fields).length} fields where the header has ${width} (check the separator and the quotes)`,
        );
      }
      data.push({ line: record.line, fields: order.map((index) => fields[index]!) });
    }
    rows += data.length;
    if (data.length > 0) yield data;
  }
  if (rows === 0) {
    throw new DomainError('csv_empty', 'invalid', 'The file lists no visits.', {
      details: { header: order !== undefined },
    });
  }
}

/** Where each of VISIT_COLUMNS is in the header; throws `csv_columns` unless it names exactly those. */
function columnOrder(names: string[]): number[] {
  const expected: readonly string[] = VISIT_COLUMNS;
  const missing = VISIT_COLUMNS.filter((column) => !names.includes(column));
  const unknown = names.filter(
    (name, index) => !expected.includes(name) || names.indexOf(name) !== index,
  );
  if (missing.length > 0 || unknown.length > 0) {
    const problems = [
      missing.length > 0 ? `no column ${missing.join(', ')}` : '',
      unknown.length > 0
        ? `unknown or repeated columns ${unknown.map((n) => `"${n}"`).join(', ')}`
        : '',
    ].filter(Boolean);
    throw new DomainError(
      'csv_columns',
      'invalid',
      `The first line must name the columns ${VISIT_COLUMNS.join(', ')} (in any order): ${problems.join('; ')}.`,
      { details: { expected: [...VISIT_COLUMNS], found: names, missing, unknown } },
    );
  }
  return VISIT_COLUMNS.map((column) => names.indexOf(column));
}

/** True when a row has the header's width once the empty cells spreadsheets add at the end are dropped. */
function hasWidth(fields: string[], width: number): boolean {
  if (fields.length < width) return false;
  for (let index = width; index < fields.length; index++) {
    if (fields[index]!.trim() !== '') return false;
  }
  return true;
}

function isBlankRecord(fields: string[]): boolean {
  for (const field of fields) if (field.trim() !== '') return false;
  return true;
}

function withoutTrailingBlanks(fields: string[]): string[] {
  let end = fields.length;
  while (end > 0 && fields[end - 1]!.trim() === '') end--;
  return fields.slice(0, end);
}
