import { StringDecoder } from 'node:string_decoder';
import { DomainError } from '../../shared/errors.js';
import { delimiterOf } from '../identity/household-register.rules.js';

/**
 * A streaming CSV reader with constant memory, for large imports. Written by hand rather than
 * on csv-parse because csv-parse's stream reads 200,000–400,000 rows/s here while this reads
 * about 2,000,000: imports read the file twice (check, then import) and must keep up with the
 * database. It follows the household register's conventions: UTF-8 with or without a byte-order
 * mark, `,` or `;` chosen by the first line, quotes as Excel writes them (RFC 4180, `""` inside
 * a quoted value), spaces around a quoted value ignored.
 */

export interface CsvRecord {
  /** The physical line the record starts on (1 is the first line of the file). */
  line: number;
  fields: string[];
}

export type CsvMalformedReason = 'unclosed_quote' | 'bad_quote' | 'row_too_long' | 'not_utf8';

/** A record longer than this is refused, so an unclosed quote cannot make us hold the whole file. */
export const MAX_RECORD_LENGTH = 64 * 1024;

const MESSAGES: Record<CsvMalformedReason, string> = {
  unclosed_quote: 'a quote (") opens a value that is not closed',
  bad_quote: 'a quote (") is out of place: a quoted value must be the whole cell',
  row_too_long: `the row is longer than ${MAX_RECORD_LENGTH} characters`,
  not_utf8: 'the file is not UTF-8 text; in Excel, save it as "CSV UTF-8"',
};

/** The error for a file that cannot be read as CSV from `line` on. */
export function csvMalformed(line: number, reason: string, message: string): DomainError {
  return new DomainError('csv_malformed', 'invalid', `Line ${line}: ${message}.`, {
    details: { line, reason },
  });
}

const malformed = (line: number, reason: CsvMalformedReason) =>
  csvMalformed(line, reason, MESSAGES[reason]);

/**
 * Reads the records of a CSV byte or text stream, a batch per chunk read, each with the line it
 * starts on. Blank lines come through as one empty field. Throws `csv_malformed` (with the line
 * and reason) for broken quoting, a row over MAX_RECORD_LENGTH or bytes that are not UTF-8.
 */
export async function* readCsvRecords(
  source: AsyncIterable<Buffer | Uint8Array | string>,
): AsyncGenerator<CsvRecord[], void, undefined> {
  const decoder = new StringDecoder('utf8');
  const scanner = new CsvScanner();
  for await (const chunk of source) {
    const text = typeof chunk === 'string' ? chunk : decoder.write(Buffer.from(chunk));
    const records = scanner.push(text, false);
    if (records.length > 0) yield records;
  }
  const records = scanner.push(decoder.end(), true);
  if (records.length > 0) yield records;
}

/** The CSV state machine over text pushed in pieces of any size (no I/O), for readCsvRecords. */
class CsvScanner {
  /** Text not yet read: it starts at the beginning of a record. */
  private pending = '';
  /** The line `pending` starts on. */
  private line = 1;
  private delimiter: string | undefined;
  private started = false;
  /** Where, in an incomplete record, a quoted value opened that has not closed yet. */
  private openQuoteLine: number | undefined;

  /** Reads the complete records in the text pushed so far; `final` for the end of the file. */
  push(piece: string, final: boolean): CsvRecord[] {
    let text = piece;
    if (!this.started && text.length > 0) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    // The decoder makes U+FFFD of every byte sequence that is not UTF-8 (a UTF-16 or ANSI file).
    const notUtf8 = text.indexOf('\uFFFD');
    if (notUtf8 !== -1) {
      throw malformed(
        this.line +
          countNewlines(this.pending, 0, this.pending.length) +
          countNewlines(text, 0, notUtf8),
        'not_utf8',
      );
    }
    const buffer = this.pending + text;
    if (this.delimiter === undefined) {
      if (!final && buffer.length < MAX_RECORD_LENGTH && !endsFirstLine(buffer)) {
        this.pending = buffer;
        return [];
      }
      this.delimiter = delimiterOf(buffer);
    }
    const records: CsvRecord[] = [];
    const delimiter = this.delimiter;
    let position = 0;
    let nextQuote = buffer.indexOf('"');
    this.openQuoteLine = undefined;
    while (position < buffer.length) {
      let newline = buffer.indexOf('\n', position);
      if (newline === -1) {
        if (!final) break;
        newline = buffer.length;
      }
      if (nextQuote !== -1 && nextQuote < position) nextQuote = buffer.indexOf('"', position);
      if (nextQuote === -1 || nextQuote > newline) {
        // The common line: no quotes, so a split is the whole story.
        const end =
          newline > position && buffer.charCodeAt(newline - 1) === 13 ? newline - 1 : newline;
        records.push({
          line: this.line,
          fields: detached(buffer.slice(position, end)).split(delimiter),
        });
        this.line++;
        position = newline + 1;
        continue;
      }
      const quoted = this.readQuotedRecord(buffer, position, delimiter, final);
      if (quoted === undefined) break;
      records.push({ line: this.line, fields: quoted.fields });
      this.line += quoted.lines;
      position = quoted.next;
    }
    this.pending = position >= buffer.length ? '' : buffer.slice(position);
    if (this.pending.length > MAX_RECORD_LENGTH) {
      throw this.openQuoteLine === undefined
        ? malformed(this.line, 'row_too_long')
        : malformed(this.openQuoteLine, 'unclosed_quote');
    }
    return records;
  }

  /**
   * Reads the record at `start`, which has a quote somewhere: its fields, how many lines it
   * spans and where the next record starts; undefined when it does not end in the text yet.
   */
  private readQuotedRecord(
    text: string,
    start: number,
    delimiter: string,
    final: boolean,
  ): { fields: string[]; lines: number; next: number } | undefined {
    const fields: string[] = [];
    let lines = 1;
    let position = start;
    for (;;) {
      let cursor = position;
      while (isBlank(text.charCodeAt(cursor))) cursor++;
      let value: string;
      let openedOn: number | undefined;
      if (text.charCodeAt(cursor) === 34) {
        openedOn = this.line + lines - 1;
        value = '';
        cursor++;
        for (;;) {
          const quote = text.indexOf('"', cursor);
          if (quote === -1 || (quote === text.length - 1 && !final)) {
            // Either the value is not closed, or a `""` may be split over two pieces.
            if (final && quote === -1) throw malformed(openedOn, 'unclosed_quote');
            this.openQuoteLine = openedOn;
            return undefined;
          }
          lines += countNewlines(text, cursor, quote);
          value += text.slice(cursor, quote);
          if (text.charCodeAt(quote + 1) === 34) {
            value += '"';
            cursor = quote + 2;
            continue;
          }
          cursor = quote + 1;
          break;
        }
        while (isBlank(text.charCodeAt(cursor))) cursor++;
      } else {
        const end = endOfUnquoted(text, position, delimiter);
        value = text.slice(position, end);
        if (value.includes('"')) throw malformed(this.line + lines - 1, 'bad_quote');
        cursor = end;
        if (value.charCodeAt(value.length - 1) === 13) value = value.slice(0, -1);
      }
      fields.push(detached(value));
      if (cursor >= text.length) {
        if (!final) return undefined;
        return { fields, lines, next: cursor };
      }
      const after = text.charCodeAt(cursor);
      if (text.startsWith(delimiter, cursor)) {
        position = cursor + delimiter.length;
        continue;
      }
      if (after === 10) return { fields, lines, next: cursor + 1 };
      if (after === 13) {
        if (cursor + 1 >= text.length && !final) return undefined;
        if (cursor + 1 >= text.length) return { fields, lines, next: cursor + 1 };
        if (text.charCodeAt(cursor + 1) === 10) return { fields, lines, next: cursor + 2 };
      }
      // A value over several lines that then closes badly most likely never closed where it opened.
      const currentLine = this.line + lines - 1;
      throw openedOn !== undefined && openedOn < currentLine
        ? malformed(openedOn, 'unclosed_quote')
        : malformed(currentLine, 'bad_quote');
    }
  }
}

/** True when the text holds the end of its first line (a line break outside quotes). */
function endsFirstLine(text: string): boolean {
  let quotes = 0;
  let from = 0;
  for (
    let newline = text.indexOf('\n');
    newline !== -1;
    newline = text.indexOf('\n', newline + 1)
  ) {
    for (
      let quote = text.indexOf('"', from);
      quote !== -1 && quote < newline;
      quote = text.indexOf('"', quote + 1)
    ) {
      quotes++;
      from = quote + 1;
    }
    if (quotes % 2 === 0) return true;
  }
  return false;
}

/**
 * A copy of a piece of the text read. V8 makes longer pieces views into the whole text, so one
 * value a caller keeps (a rejected row, a code in a cache) would keep each 64 KiB piece alive.
 */
function detached(piece: string): string {
  return ` ${piece}`.slice(1);
}

function isBlank(code: number): boolean {
  return code === 32 || code === 9;
}

/** Where an unquoted value that starts at `start` ends: at the delimiter, the newline or the end. */
function endOfUnquoted(text: string, start: number, delimiter: string): number {
  const newline = text.indexOf('\n', start);
  const next = text.indexOf(delimiter, start);
  if (next !== -1 && (newline === -1 || next < newline)) return next;
  return newline === -1 ? text.length : newline;
}

function countNewlines(text: string, from: number, to: number): number {
  let count = 0;
  for (let at = text.indexOf('\n', from); at !== -1 && at < to; at = text.indexOf('\n', at + 1)) {
    count++;
  }
  return count;
}
