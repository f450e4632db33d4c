import { createHash, randomInt } from 'node:crypto';
import { CsvError, parse } from 'csv-parse/sync';
import type { FieldError } from '../../shared/errors.js';
import { LOCALES, type Locale } from '../../shared/locales.js';

/**
 * Pure rules of the municipal household register: reading the CSV file staff upload (every row
 * checked before anything is stored) and the one-time codes printed on verification letters.
 */

export interface RegisterRow {
  /** The line of the file the row is on (1 is the first line, the header if there is one). */
  line: number;
  reference: string;
  address: string;
  members: number;
  locale: Locale | null;
}

export type RegisterReading =
  | { ok: true; rows: RegisterRow[] }
  | { ok: false; problems: FieldError[]; totalProblems: number };

export const COLUMNS = ['reference', 'address', 'members', 'language'] as const;
/** At most this many problems are listed in an answer; the count says how many there were. */
export const MAX_LISTED_PROBLEMS = 50;
export const MAX_REFERENCE_LENGTH = 64;
export const MIN_ADDRESS_LENGTH = 5;
export const MAX_ADDRESS_LENGTH = 200;
export const MAX_MEMBERS = 99;

const fileProblem = (code: string, message: string): RegisterReading => ({
  ok: false,
  problems: [{ field: '/file', code, message }],
  totalProblems: 1,
});

/**
 * Reads a register file: UTF-8 (with or without a byte-order mark), comma- or
 * semicolon-separated (Belgian Excel writes `;`), with an optional header row naming the columns
 * `reference,address,members,language` (in any order; language may be left out). Without a
 * header the columns are in that order. Returns every row, or every problem (row by row, the
 * first MAX_LISTED_PROBLEMS of them) when any row is malformed.
 */
export function readRegisterFile(file: Buffer | string): RegisterReading {
  let text: string;
  try {
    text = typeof file === 'string' ? file : new TextDecoder('utf-8', { fatal: true }).decode(file);
  } catch {
    return fileProblem(
      'not_utf8',
      'The file is not UTF-8 text. In Excel, save it as "CSV UTF-8 (comma delimited)".',
    );
  }
  text = text.replace(/^\uFEFF/, '');
  if (text.trim() === '') return fileProblem('empty', 'The file is empty.');

  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      delimiter: delimiterOf(text),
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
      trim: true,
    }) as unknown as typeof records;
  } catch (error) {
    if (error instanceof CsvError) {
      const line =
        error.code === 'CSV_QUOTE_NOT_CLOSED'
          ? unclosedQuoteLine(text)
          : (error as CsvError & { lines?: number }).lines;
      return {
        ok: false,
        problems: [
          {
            field: line ? `/rows/${line}` : '/file',
            code: 'malformed_csv',
            message: `The file cannot be read as CSV${line ? ` from row ${line}` : ''}: check the quotes (${error.code}).`,
          },
        ],
        totalProblems: 1,
      };
    }
    throw error;
  }

  let columns: Record<(typeof COLUMNS)[number], number> = {
    reference: 0,
    address: 1,
    members: 2,
    language: 3,
  };
  const problems: FieldError[] = [];
  const first = records[0]?.record.map((cell) => cell.toLowerCase());
  let maxColumns: number = COLUMNS.length;
  if (first?.includes('reference')) {
    maxColumns = withoutTrailingEmpty(first).length;
    records = records.slice(1);
    const named = Object.fromEntries(COLUMNS.map((name) => [name, first.indexOf(name)]));
    for (const name of ['reference', 'address', 'members'] as const) {
      if (named[name] === -1) {
        problems.push({
          field: `/rows/1/${name}`,
          code: 'missing_column',
          message: `The header row has no column "${name}" (expected ${COLUMNS.join(',')}).`,
        });
      }
    }
    const unknown = first.filter((name) => name && !(COLUMNS as readonly string[]).includes(name));
    if (unknown.length > 0) {
      problems.push({
        field: '/rows/1',
        code: 'unknown_column',
        message: `The header row has unknown columns: ${unknown.join(', ')}.`,
      });
    }
    columns = named as typeof columns;
  }
  if (problems.length > 0) return { ok: false, problems, totalProblems: problems.length };
  if (records.length === 0) return fileProblem('empty', 'The file lists no households.');

  const rows: RegisterRow[] = [];
  const seen = new Map<string, number>();
  let totalProblems = 0;
  const report = (line: number, field: string, code: string, message: string) => {
    totalProblems++;
    if (problems.length < MAX_LISTED_PROBLEMS) {
      problems.push({ field: `/rows/${line}/${field}`, code, message: `Row ${line}: ${message}` });
    }
  };
  for (const { record: cells, info } of records) {
    const line = info.lines;
    // Spreadsheets often end rows with empty cells: those are no extra columns.
    const record = withoutTrailingEmpty(cells);
    const cell = (index: number) => (index >= 0 ? (record[index] ?? '') : '');
    if (record.length > maxColumns) {
      report(
        line,
        'row',
        'too_many_columns',
        `${record.length} columns, but a row has at most ${maxColumns} (check the separator and quotes).`,
      );
      continue;
    }
    const reference = cell(columns.reference);
    const address = cell(columns.address).replace(/\s+/g, ' ');
    const membersText = cell(columns.members);
    const languageText = cell(columns.language).toLowerCase();
    let bad = false;
    if (!reference) {
      report(line, 'reference', 'missing', 'the household reference is missing.');
      bad = true;
    } else if (reference.length > MAX_REFERENCE_LENGTH || hasControlCharacters(reference)) {
      report(
        line,
        'reference',
        'invalid',
        `a reference is at most ${MAX_REFERENCE_LENGTH} characters, without control characters.`,
      );
      bad = true;
    } else if (seen.has(reference)) {
      report(
        line,
        'reference',
        'duplicate',
        `the reference "${reference}" is also on row ${seen.get(reference)}.`,
      );
      bad = true;
    } else {
      seen.set(reference, line);
    }
    if (!address) {
      report(line, 'address', 'missing', 'the address is missing.');
      bad = true;
    } else if (
      address.length < MIN_ADDRESS_LENGTH ||
      address.length > MAX_ADDRESS_LENGTH ||
      hasControlCharacters(address)
    ) {
      report(
        line,
        'address',
        'invalid',
        `an address is ${MIN_ADDRESS_LENGTH} to ${MAX_ADDRESS_LENGTH} characters.`,
      );
      bad = true;
    }
    const members = /^\d{1,2}$/.test(membersText) ? Number(membersText) : Number.NaN;
    if (!membersText) {
      report(line, 'members', 'missing', 'the number of members is missing.');
      bad = true;
    } else if (!(members >= 1 && members <= MAX_MEMBERS)) {
      report(
        line,
        'members',
        'invalid',
        `the number of members must be a whole number from 1 to ${MAX_MEMBERS}, not "${membersText.slice(0, 20)}".`,
      );
      bad = true;
    }
    if (languageText && !(LOCALES as readonly string[]).includes(languageText)) {
      report(
        line,
        'language',
        'invalid',
        `the language must be nl, fr, de or en (or empty), not "${languageText.slice(0, 20)}".`,
      );
      bad = true;
    }
    if (!bad) {
      rows.push({
        line,
        reference,
        address,
        members,
        locale: languageText ? (languageText as Locale) : null,
      });
    }
  }
  if (totalProblems > 0) return { ok: false, problems, totalProblems };
  return { ok: true, rows };
}

/**
 * The separator of a register file: `;` when the first line has one outside quotes, else `,`.
 * One separator per file, so an address with commas in a `;` file needs no quotes.
 */
export function delimiterOf(text: string): ';' | ',' {
  let quoted = false;
  for (const char of text) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === '\n' || char === '\r')) break;
    else if (!quoted && char === ';') return ';';
  }
  return ',';
}

/** The line on which the quote that is never closed opens. */
function unclosedQuoteLine(text: string): number {
  let line = 1;
  let opened = 1;
  let quoted = false;
  for (const char of text) {
    if (char === '"') {
      quoted = !quoted;
      if (quoted) opened = line;
    } else if (char === '\n') line++;
  }
  return opened;
}

function withoutTrailingEmpty(cells: string[]): string[] {
  let end = cells.length;
  while (end > 0 && cells[end - 1] === '') end--;
  return cells.slice(0, end);
}

function hasControlCharacters(value: string): boolean {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: that is what is looked for
  return /[\u0000-\u001f\u007f]/.test(value);
}

const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const VERIFICATION_CODE_LENGTH = 10;

/** A verification letter's one-time code: 10 Crockford base32 characters, `XXXXX-XXXXX` (50 bits). */
export function newVerificationCode(): string {
  let code = '';
  for (let i = 0; i < VERIFICATION_CODE_LENGTH; i++) code += CODE_ALPHABET[randomInt(32)];
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

/**
 * A typed verification code in its printed form, or undefined when it cannot be one: any case,
 * spaces and dashes ignored, and the letters people confuse with digits read as those digits.
 */
export function normalizeVerificationCode(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const plain = value
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replaceAll('O', '0')
    .replace(/[IL]/g, '1');
  return new RegExp(`^[${CODE_ALPHABET}]{${VERIFICATION_CODE_LENGTH}}$`).test(plain)
    ? `${plain.slice(0, 5)}-${plain.slice(5)}`
    : undefined;
}

/**
 * What is stored of a verification code: SHA-256 over the municipality and the code, so the
 * same code means nothing in another municipality and the code itself is never stored.
 */
export function verificationCodeHash(municipalityId: string, code: string): string {
  return createHash('sha256').update(`household-letter:${municipalityId}:${code}`).digest('hex');
}
