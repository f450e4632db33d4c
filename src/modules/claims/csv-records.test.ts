import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../shared/errors.js';
import { type CsvRecord, MAX_RECORD_LENGTH, readCsvRecords } from './csv-records.js';

async function records(pieces: (string | Buffer)[]): Promise<CsvRecord[]> {
  const all: CsvRecord[] = [];
  for await (const batch of readCsvRecords(Readable.from(pieces))) all.push(...batch);
  return all;
}

async function failure(pieces: (string | Buffer)[]): Promise<{ line: number; reason: string }> {
  try {
    await records(pieces);
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('csv_malformed');
    return (error as DomainError).details as { line: number; reason: string };
  }
  throw new Error('the file was read without an error');
}

/** A value as Excel writes it: quoted when it holds a separator, a quote or a line break. */
const written = (value: string) =>
  /[,;"\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;

describe('readCsvRecords', () => {
  it('reads any file written with quotes where needed, in pieces of any size, with each record’s first line', async () => {
    const field = fc.string({
      unit: fc.constantFrom('a', 'B', '7', ' ', ',', ';', '"', '\n', '\r', 'é', '€'),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(field, { minLength: 2, maxLength: 5 }), { minLength: 1, maxLength: 12 }),
        fc.constantFrom(',', ';'),
        fc.constantFrom('\n', '\r\n'),
        fc.boolean(),
        fc.array(fc.nat(), { maxLength: 6 }),
        async (rows, delimiter, lineEnd, trailingNewline, cuts) => {
          const lines = rows.map((row) => row.map(written).join(delimiter));
          const text = lines.join(lineEnd) + (trailingNewline ? lineEnd : '');
          const bytes = Buffer.from(`\uFEFF${text}`);
          const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort(
            (a, b) => a - b,
          );
          const pieces = [0, ...points, bytes.length]
            .slice(1)
            .map((end, index, ends) => bytes.subarray(index === 0 ? 0 : ends[index - 1], end));
          let line = 1;
          const expected = lines.map((written, index) => {
            const record = { line, fields: rows[index]! };
            line += written.split('\n').length;
            return record;
          });
          expect(await records(pieces)).toEqual(expected);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('chooses `;` only when the first line has one outside quotes', async () => {
    expect((await records(['"a;b",c\n1;2,3\n']))[1]!.fields).toEqual(['1;2', '3']);
    expect((await records(['a;b,c\n1;2,3\n']))[1]!.fields).toEqual(['1', '2,3']);
  });

  it('ignores spaces around a quoted value and keeps them around an unquoted one', async () => {
    expect((await records(['a,b\n  "x" , y \n']))[1]!.fields).toEqual(['x', ' y ']);
  });

  it('says on which line a quote opens that is never closed', async () => {
    expect(await failure(['a,b\n1,2\n3,"4\n5,6\n'])).toEqual({ line: 3, reason: 'unclosed_quote' });
    // A later quote closes the value, but what follows shows where it really went wrong.
    expect(await failure(['a,b\n1,"2\n3,4\n"5",6\n'])).toEqual({
      line: 2,
      reason: 'unclosed_quote',
    });
  });

  it('refuses a quote inside a value or after a closing quote, on its line', async () => {
    expect(await failure(['a,b\n1,2\n3,4"5\n'])).toEqual({ line: 3, reason: 'bad_quote' });
    expect(await failure(['a,b\n1,"2"x\n'])).toEqual({ line: 2, reason: 'bad_quote' });
  });

  it('stops at an unclosed quote without holding the rest of a large file', async () => {
    const rest = Array.from({ length: 200 }, () => `${'x,'.repeat(500)}\n`);
    expect(await failure(['a,b\n1,2\n3,"4\n', ...rest])).toEqual({
      line: 3,
      reason: 'unclosed_quote',
    });
    expect(await failure(['a,b\n', 'x'.repeat(MAX_RECORD_LENGTH + 1)])).toEqual({
      line: 2,
      reason: 'row_too_long',
    });
  });

  it('refuses bytes that are not UTF-8, with their line', async () => {
    expect(
      await failure([Buffer.from('a,b\n1,2\n'), Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x2c, 0x33])]),
    ).toEqual({
      line: 3,
      reason: 'not_utf8',
    });
    expect(await failure([Buffer.from('\ufeffa,b\n', 'utf16le')])).toEqual({
      line: 1,
      reason: 'not_utf8',
    });
  });

  it('keeps a UTF-8 character split over two pieces', async () => {
    const bytes = Buffer.from('a,b\n€,1\n');
    expect((await records([bytes.subarray(0, 5), bytes.subarray(5)]))[1]!.fields).toEqual([
      '€',
      '1',
    ]);
  });
});
