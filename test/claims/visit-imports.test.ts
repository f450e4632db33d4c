import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  getVisitImport,
  runVisitImport,
  startVisitImport,
} from '../../src/modules/claims/visit-imports.service.js';
import type { ImportRunProblem } from '../../src/modules/claims/visit-imports.types.js';
import { thousandths } from '../../src/modules/claims/visits.rules.js';
import { registerResident } from '../../src/modules/identity/identity.service.js';
import { listAccounts } from '../../src/modules/ledger/ledger.service.js';
import { describeEachBackend } from '../support/backends.js';
import { createTestApp } from '../support/server.js';
import { makeVisitWorld, type VisitWorld } from '../support/visit-imports.js';
import { type GeneratedVisitsCsv, writeVisitsCsv } from '../support/visits-csv.js';

/**
 * Importing recycling-centre visit files: the right awards under the limits, every bad row
 * reported with its line, a second import of the same file awarding nothing, and files with
 * the wrong shape refused before anything is awarded.
 */

const MONTHLY_MAX = 300;
const YEARLY_CAP = 2500;

describeEachBackend('visit imports', (backend) => {
  // PostgreSQL runs the same checks on a smaller file: its batches are slower on 2 cores.
  const ROWS = backend.name === 'sqlite' ? 100_000 : 20_000;
  let app: FastifyInstance;
  let world: VisitWorld;
  let dir: string;
  let file: string;
  let generated: GeneratedVisitsCsv;

  beforeAll(async () => {
    app = await createTestApp({ backend });
    world = await makeVisitWorld(app, {
      residents: 400,
      inHouseholds: 40,
      yearlyCapPoints: YEARLY_CAP,
      terms: (stream) => ({
        limits: [{ scope: 'resident', period: 'month', maxPoints: MONTHLY_MAX }],
        points: {
          mode: 'per_unit',
          unit: 'kg',
          pointsPerUnit: stream === 'weee' ? 3 : 1,
          maxPointsPerClaim: 100,
        },
      }),
    });
    dir = mkdtempSync(path.join(tmpdir(), 'civicpoints-visits-'));
    file = path.join(dir, 'visits.csv');
    generated = await writeVisitsCsv(file, {
      rows: ROWS,
      memberCodes: world.residents.map((r) => r.memberCode),
      badEvery: 100,
    });
  }, 120_000);
  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const importFile = async (name: string, csv = file) => {
    const run = await startVisitImport(world.ctx, {
      municipalityId: world.municipalityId,
      partnerId: world.partner.id,
      fileName: name,
      file: csv,
    });
    return runVisitImport(world.ctx, run.id, csv);
  };

  const allProblems = async (runId: string) => {
    const problems: ImportRunProblem[] = [];
    for (;;) {
      const page = await getVisitImport(world.ctx, {
        municipalityId: world.municipalityId,
        runId,
        offset: problems.length,
        limit: 1000,
      });
      problems.push(...page.problems.items);
      if (page.problems.items.length === 0) return problems;
    }
  };

  const wallets = async () => {
    const byResident = new Map<string, number>();
    for (const account of await listAccounts(world.ctx, world.municipalityId)) {
      if (account.kind === 'wallet') byResident.set(account.ownerId!, account.creditsPosted);
    }
    return byResident;
  };

  it('awards what the limits allow, reports every bad row, and awards nothing the second time', async () => {
    const expected = await expectedAwards(file, generated, world);
    const first = await importFile('visits.csv');
    expect(first).toMatchObject({
      status: 'done',
      rowsTotal: ROWS,
      rowsDone: ROWS,
      awarded: expected.awarded,
      points: expected.points,
      alreadyImported: 0,
      waiting: 0,
    });
    const problems = await allProblems(first.id);
    expect(problems).toHaveLength(first.problems);
    const byLine = new Map(problems.map((p) => [p.line, p]));
    for (const bad of generated.bad) expect(byLine.get(bad.line)?.reason).toBe(bad.reason);
    const refusedLines = [...expected.refused.keys()].sort((a, b) => a - b);
    expect(problems.filter((p) => !generated.badLines.includes(p.line)).map((p) => p.line)).toEqual(
      refusedLines,
    );
    for (const [line, reason] of expected.refused) expect(byLine.get(line)?.reason).toBe(reason);
    expect(first.problems).toBe(generated.bad.length + expected.refused.size);
    const paid = await wallets();
    for (const resident of world.residents) {
      expect(paid.get(resident.id) ?? 0, resident.memberCode).toBe(
        expected.byResident.get(resident.id) ?? 0,
      );
    }

    const second = await importFile('visits-again.csv');
    expect(second).toMatchObject({
      status: 'done',
      rowsDone: ROWS,
      awarded: 0,
      points: 0,
      waiting: 0,
      alreadyImported: expected.awarded,
      problems: first.problems,
    });
    expect(await wallets()).toEqual(paid);
  }, 240_000);

  it('refuses a file with wrong columns or broken quoting before awarding anything', async () => {
    const code = world.residents[0]!.memberCode;
    const cases: [string, string, string][] = [
      [
        'columns.csv',
        `visit_id,member,visited_at,stream,kg\nX1,${code},2025-05-01,paper,10\n`,
        'csv_columns',
      ],
      [
        'quotes.csv',
        `visit_id,member_code,visited_at,stream,kg\nX2,${code},2025-05-01,paper,10\nX3,"${code},2025-05-01,paper,10\n`,
        'csv_malformed',
      ],
      ['empty.csv', 'visit_id,member_code,visited_at,stream,kg\n', 'csv_empty'],
    ];
    const before = await wallets();
    for (const [name, text, codeExpected] of cases) {
      const csv = path.join(dir, name);
      writeFileSync(csv, text);
      await expect(importFile(name, csv)).rejects.toMatchObject({ code: codeExpected });
    }
    expect(await wallets()).toEqual(before);
  });

  it('reports a visit and stream listed twice as duplicate_visit on its line, pays the first once and the visit’s other stream, and nothing again', async () => {
    // A resident of their own, so the big file's limits and yearly cap play no part.
    const resident = await registerResident(world.ctx, {
      email: null,
      municipalityId: world.municipalityId,
      locale: 'nl',
    });
    const code = resident.memberCode;
    const csv = path.join(dir, 'twice.csv');
    writeFileSync(
      csv,
      [
        'visit_id,member_code,visited_at,stream,kg', // line 1
        `TWICE-1,${code},2026-11-05,paper,12`, // line 2: paid, 12 points
        `TWICE-2,${code},2026-11-06,green,3`, // line 3: another visit, 3 points
        `TWICE-1,${code},2026-11-05,glass,5`, // line 4: the same visit's other stream, 5 points
        `TWICE-1,${code},2026-11-05,paper,12`, // line 5: line 2 again
        '',
      ].join('\n'),
    );
    const walletOf = async () => (await wallets()).get(resident.id) ?? 0;

    const first = await importFile('twice.csv', csv);
    expect(first).toMatchObject({
      status: 'done',
      rowsTotal: 4,
      rowsDone: 4,
      awarded: 3,
      waiting: 0,
      alreadyImported: 0,
      problems: 1,
      points: 20,
    });
    expect(await allProblems(first.id)).toEqual([
      expect.objectContaining({
        line: 5,
        reason: 'duplicate_visit',
        visitId: 'TWICE-1',
        stream: 'paper',
        message: expect.stringContaining('first on line 2'),
      }),
    ]);
    expect(await walletOf()).toBe(12 + 3 + 5);

    const before = await wallets();
    const second = await importFile('twice-again.csv', csv);
    expect(second).toMatchObject({
      status: 'done',
      rowsDone: 4,
      awarded: 0,
      waiting: 0,
      alreadyImported: 3,
      problems: 1,
      points: 0,
    });
    expect((await allProblems(second.id)).map((p) => [p.line, p.reason])).toEqual([
      [5, 'duplicate_visit'],
    ]);
    expect(await wallets()).toEqual(before);
    expect(await walletOf()).toBe(20);
  });
});

/**
 * What the file should award, worked out row by row in file order without the importer: each
 * good row earns floor(kg × rate), at most 100, within the resident's monthly cap per activity
 * (Brussels months) and their yearly cap across all; a row finding nothing left is refused.
 */
async function expectedAwards(file: string, generated: GeneratedVisitsCsv, world: VisitWorld) {
  const { readFile } = await import('node:fs/promises');
  const lines = (await readFile(file, 'utf8')).split('\n');
  const bad = new Set(generated.badLines);
  const residentOf = new Map(world.residents.map((r) => [r.memberCode, r.id]));
  const monthly = new Map<string, number>();
  const yearly = new Map<string, number>();
  const byResident = new Map<string, number>();
  const refused = new Map<number, string>();
  let awarded = 0;
  let points = 0;
  for (let index = 1; index < lines.length; index++) {
    const line = index + 1;
    if (!lines[index] || bad.has(line)) continue;
    const [, code, visitedAt, stream, kgText] = splitCsvLine(lines[index]!);
    const resident = residentOf.get(code!)!;
    const rate = stream === 'weee' ? 3 : 1;
    const requested = Math.min(Math.floor((thousandths(kgText!)! * rate) / 1000), 100);
    // The generated times are 08:00-16:59 UTC, so the Brussels month is the date's month.
    const month = `${resident}|${stream}|${visitedAt!.slice(0, 7)}`;
    if (requested > 0) {
      const monthLeft = MONTHLY_MAX - (monthly.get(month) ?? 0);
      const yearLeft = YEARLY_CAP - (yearly.get(resident) ?? 0);
      if (monthLeft <= 0) {
        refused.set(line, 'limit_reached');
        continue;
      }
      if (yearLeft <= 0) {
        refused.set(line, 'yearly_cap_reached');
        continue;
      }
      const award = Math.min(requested, monthLeft, yearLeft);
      monthly.set(month, (monthly.get(month) ?? 0) + award);
      yearly.set(resident, (yearly.get(resident) ?? 0) + award);
      byResident.set(resident, (byResident.get(resident) ?? 0) + award);
      points += award;
    }
    awarded++;
  }
  return { awarded, points, refused, byResident };
}

/** The generator quotes only decimal-comma weights: enough CSV for its lines. */
function splitCsvLine(text: string): string[] {
  const fields: string[] = [];
  for (const match of text.matchAll(/"([^"]*)"|([^,]+)|(?<=,)(?=,|$)/g)) {
    fields.push(match[1] ?? match[2] ?? '');
  }
  return fields;
}
