import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeVisitsCsv } from '../../../test/support/visits-csv.js';
import { DomainError } from '../../shared/errors.js';
import { newMemberCode } from '../identity/identity.rules.js';
import {
  inspectVisitsCsv,
  parseVisitFields,
  readVisitsCsv,
  VISIT_BATCH_SIZE,
  type VisitRow,
} from './visits-csv.js';

const fromText = (text: string | Buffer) => () => Readable.from([text]);

async function rowsOf(text: string | Buffer): Promise<VisitRow[]> {
  const rows: VisitRow[] = [];
  for await (const batch of readVisitsCsv(fromText(text)())) rows.push(...batch);
  return rows;
}

/** The error both passes throw for a file, checked to be the same. */
async function fileError(text: string): Promise<DomainError> {
  const inspected = await inspectVisitsCsv(fromText(text)).then(
    () => undefined,
    (error: unknown) => error,
  );
  const read = await rowsOf(text).then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(inspected).toBeInstanceOf(DomainError);
  expect(read).toEqual(inspected);
  return inspected as DomainError;
}

const code = newMemberCode();
const good = (visitId: string) => ({
  line: expect.any(Number),
  ok: true,
  visit: { visitId, memberCode: code, visitedAt: '2025-05-31', stream: 'paper', kgMilli: 12_500 },
});

describe('the visits file header', () => {
  it.each([
    ['commas', `visit_id,member_code,visited_at,stream,kg\nV1,${code},2025-05-31,paper,12.5\n`],
    [
      'semicolons and a decimal comma',
      `visit_id;member_code;visited_at;stream;kg\nV1;${code};2025-05-31;paper;12,5\n`,
    ],
    [
      'a byte-order mark',
      `\uFEFFvisit_id,member_code,visited_at,stream,kg\nV1,${code},2025-05-31,paper,12.5\n`,
    ],
    [
      'another order',
      `kg,stream,visit_id,visited_at,member_code\n12.5,paper,V1,2025-05-31,${code}\n`,
    ],
    [
      'capitals and spaces',
      ` Visit_ID , MEMBER_CODE,Visited_At,Stream,KG \nV1,${code},2025-05-31,paper,12.5\n`,
    ],
    [
      'Windows line ends',
      `visit_id,member_code,visited_at,stream,kg\r\nV1,${code},2025-05-31,paper,12.5\r\n`,
    ],
    [
      'Excel’s empty cells at the end',
      `visit_id;member_code;visited_at;stream;kg;;\nV1;${code};2025-05-31;paper;12,5;;\n;;;;;;\n`,
    ],
    [
      'quoted values',
      `"visit_id","member_code","visited_at","stream","kg"\n"V1","${code}","2025-05-31","paper","12,5"\n`,
    ],
  ])('is read with %s', async (_, text) => {
    expect(await inspectVisitsCsv(fromText(text))).toEqual({ rows: 1 });
    expect(await rowsOf(text)).toEqual([{ ...good('V1'), line: 2 }]);
  });

  it('must name exactly the visit columns', async () => {
    const missing = await fileError(
      `visit_id,member_code,visited_at,stream\nV1,${code},2025-05-31,paper\n`,
    );
    expect(missing).toMatchObject({
      code: 'csv_columns',
      kind: 'invalid',
      details: {
        expected: ['visit_id', 'member_code', 'visited_at', 'stream', 'kg'],
        found: ['visit_id', 'member_code', 'visited_at', 'stream'],
        missing: ['kg'],
      },
    });
    const extra = await fileError(
      `visit_id,member_code,visited_at,stream,kg,weight\nV1,${code},2025-05-31,paper,1,1\n`,
    );
    expect(extra).toMatchObject({ code: 'csv_columns', details: { unknown: ['weight'] } });
    const twice = await fileError(
      `visit_id,member_code,visited_at,stream,kg,kg\nV1,${code},2025-05-31,paper,1,1\n`,
    );
    expect(twice).toMatchObject({ code: 'csv_columns', details: { unknown: ['kg'] } });
    // A file without a header: its first row is taken for one, and said to be wrong.
    const headless = await fileError(`V1,${code},2025-05-31,paper,1\n`);
    expect(headless).toMatchObject({
      code: 'csv_columns',
      details: { missing: expect.any(Array) },
    });
    expect(headless.message).toContain('visit_id, member_code, visited_at, stream, kg');
  });

  it('is refused for a file without rows', async () => {
    for (const text of [
      '',
      '\n\n',
      'visit_id,member_code,visited_at,stream,kg\n',
      'visit_id,member_code,visited_at,stream,kg\n  \n,,,,\n',
    ]) {
      expect(await fileError(text)).toMatchObject({ code: 'csv_empty', kind: 'invalid' });
    }
  });
});

describe('a broken visits file', () => {
  const header = 'visit_id,member_code,visited_at,stream,kg\n';
  const row = (id: number) => `V${id},${code},2025-05-31,paper,12.5\n`;

  it('names the line of a quote that is never closed', async () => {
    const error = await fileError(
      `${header}${row(1)}${row(2)}V3,"${code},2025-05-31,paper,1\n${row(4)}${row(5)}`,
    );
    expect(error).toMatchObject({
      code: 'csv_malformed',
      details: { line: 4, reason: 'unclosed_quote' },
    });
    expect(error.message).toMatch(/^Line 4: /);
  });

  it('names the line of a row with another number of fields', async () => {
    expect(
      await fileError(`${header}${row(1)}V2,${code},2025-05-31,paper\n${row(3)}`),
    ).toMatchObject({
      code: 'csv_malformed',
      details: { line: 3, reason: 'field_count' },
    });
    expect(
      await fileError(`${header}${row(1)}\n\nV2,${code},2025-05-31,paper,1,extra\n`),
    ).toMatchObject({
      code: 'csv_malformed',
      details: { line: 5, reason: 'field_count' },
    });
  });
});

describe('a visits row', () => {
  const text = [
    'visit_id;member_code;visited_at;stream;kg',
    `V1;${code};2025-05-31;paper;12,5`,
    `V2;${code};2025-05-31;paper;12.5.1`,
    '',
    `V3;${code};2025-02-30;paper;1`,
    `V 4;${code};2025-05-31;paper;1`,
    `V5;${code};2025-05-31;Paper bags;1`,
    `V6;;2025-05-31;paper;1`,
    `V7;${code};2025-05-31T14:30:00+02:00;GLASS;0,001`,
    `V8;${code};2025-05-31T14:30;glass;1`,
    `V9;${code};2025-05-31;glass;100000,001`,
    `V10;${code};2025-05-31;glass;0`,
  ].join('\n');

  it('is checked on its own, with its physical line and the reason', async () => {
    const rows = await rowsOf(text);
    expect(rows.map((row) => [row.line, row.ok ? 'ok' : row.reason])).toEqual([
      [2, 'ok'],
      [3, 'bad_number'],
      [5, 'bad_date'],
      [6, 'bad_visit_id'],
      [7, 'bad_stream'],
      [8, 'missing_value'],
      [9, 'ok'],
      [10, 'bad_date'],
      [11, 'bad_number'],
      [12, 'bad_number'],
    ]);
    expect(rows[6]).toEqual({
      line: 9,
      ok: true,
      visit: {
        visitId: 'V7',
        memberCode: code,
        visitedAt: '2025-05-31T12:30:00.000Z',
        stream: 'glass',
        kgMilli: 1,
      },
    });
    expect(rows[5]).toMatchObject({ ok: false, message: 'No value for member_code.' });
    expect(rows[1]).toMatchObject({ ok: false, message: expect.stringContaining('"12.5.1"') });
    expect(await inspectVisitsCsv(fromText(text))).toEqual({ rows: 10 });
  });
});

describe('parseVisitFields', () => {
  const fields = {
    visit_id: 'V1',
    member_code: code,
    visited_at: '2025-05-31',
    stream: 'paper',
    kg: '12.5',
  };

  it('reads a visit the API is given the same way as a row', () => {
    expect(parseVisitFields(fields)).toEqual({
      ok: true,
      visit: {
        visitId: 'V1',
        memberCode: code,
        visitedAt: '2025-05-31',
        stream: 'paper',
        kgMilli: 12_500,
      },
    });
    expect(parseVisitFields({ ...fields, kg: undefined })).toMatchObject({
      ok: false,
      reason: 'missing_value',
    });
  });

  it('writes a member code as stored, however it was typed', () => {
    const typed = ` ${code.replaceAll('-', ' ').toLowerCase()} `;
    expect(parseVisitFields({ ...fields, member_code: typed })).toMatchObject({
      visit: { memberCode: code },
    });
    // A code that cannot be one matches no resident: the importer reports it as unknown.
    expect(parseVisitFields({ ...fields, member_code: 'abc-12' })).toMatchObject({
      visit: { memberCode: 'ABC12' },
    });
  });

  it('reads times with their zone as instants and refuses impossible ones', () => {
    const at = (visited_at: string) => {
      const reading = parseVisitFields({ ...fields, visited_at });
      return reading.ok ? reading.visit.visitedAt : reading.reason;
    };
    expect(at('2024-02-29')).toBe('2024-02-29');
    expect(at('2025-05-31T23:30Z')).toBe('2025-05-31T23:30:00.000Z');
    expect(at('2025-05-31 23:30:15.1234-0130')).toBe('2025-06-01T01:00:15.123Z');
    for (const bad of [
      '2025-02-29',
      '2025-05-31T24:00Z',
      '2025-05-31T12:00',
      '1999-12-31',
      '31/05/2025',
      '2025-5-31',
    ]) {
      expect(at(bad)).toBe('bad_date');
    }
  });

  it('reads any weight of up to 3 decimals, with a point or a comma, to the gram', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100_000_000 }),
        fc.constantFrom('.', ','),
        (grams, separator) => {
          const kg = `${Math.floor(grams / 1000)}${separator}${String(grams % 1000).padStart(3, '0')}`;
          const reading = parseVisitFields({ ...fields, kg });
          expect(reading.ok && reading.visit.kgMilli).toBe(grams);
        },
      ),
    );
    for (const bad of [
      '0',
      '0,000',
      '-1',
      '1e3',
      '1.2345',
      '1.000,5',
      '100000.001',
      '1 000',
      ',5',
      '12.',
    ]) {
      expect(parseVisitFields({ ...fields, kg: bad })).toMatchObject({
        ok: false,
        reason: 'bad_number',
      });
    }
  });
});

describe('a generated file of 100,000 rows with 1% bad rows', () => {
  let directory: string;
  let path: string;
  const memberCodes = Array.from({ length: 500 }, () => newMemberCode());
  let generated: Awaited<ReturnType<typeof writeVisitsCsv>>;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'visits-csv-'));
    path = join(directory, 'visits.csv');
    generated = await writeVisitsCsv(path, { rows: 100_000, memberCodes, badEvery: 100, seed: 7 });
  });
  afterAll(() => rm(directory, { recursive: true, force: true }));

  it('is the same file for the same seed', async () => {
    const again = await writeVisitsCsv(join(directory, 'again.csv'), {
      rows: 100_000,
      memberCodes,
      badEvery: 100,
      seed: 7,
    });
    expect(again).toEqual(generated);
    expect(generated.badLines).toHaveLength(1000);
  });

  it('is read in batches with memory that does not grow, each bad row on its line', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    expect(await inspectVisitsCsv(() => createReadStream(path))).toEqual({ rows: 100_000 });

    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    let heapGrowth = 0;
    let rows = 0;
    let batches = 0;
    // Kept as an importer's report would keep them: they must not hold on to the file's text.
    const rejected: VisitRow[] = [];
    const known = new Set(memberCodes);
    const unknownLines: number[] = [];
    for await (const batch of readVisitsCsv(createReadStream(path))) {
      expect(batch.length).toBeLessThanOrEqual(VISIT_BATCH_SIZE);
      rows += batch.length;
      for (const row of batch) {
        if (!row.ok) rejected.push(row);
        else if (!known.has(row.visit.memberCode)) unknownLines.push(row.line);
      }
      if (++batches % 10 === 0) {
        gc();
        heapGrowth = Math.max(heapGrowth, process.memoryUsage().heapUsed - heapBefore);
      }
    }

    expect(rows).toBe(100_000);
    expect(batches).toBe(100_000 / VISIT_BATCH_SIZE);
    const expected = (reason: string) =>
      generated.bad.filter((bad) => bad.reason === reason).map((bad) => bad.line);
    const rejectedFor = (reason: string) =>
      rejected.filter((row) => !row.ok && row.reason === reason).map((row) => row.line);
    expect(rejectedFor('bad_number')).toEqual(expected('bad_number'));
    expect(rejectedFor('bad_date')).toEqual(expected('bad_date'));
    expect(rejected.length).toBe(expected('bad_number').length + expected('bad_date').length);
    expect(unknownLines).toEqual(expected('unknown_resident'));
    // What is kept here (some 700 rejections) is well under this; the rows read are not kept.
    expect(heapGrowth).toBeLessThan(4 * 1024 * 1024);
  });
});
