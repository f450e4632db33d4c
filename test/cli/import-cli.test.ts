import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { listAccounts } from '../../src/modules/ledger/ledger.service.js';
import { civicpoints, databaseUrl } from '../support/cli.js';
import { createTestApp } from '../support/server.js';
import { makeVisitWorld, type VisitWorld } from '../support/visit-imports.js';
import { writeVisitsCsv } from '../support/visits-csv.js';

/** `civicpoints import visits`: progress, a summary, the bad rows, and exit codes for bad files. */

let app: FastifyInstance;
let world: VisitWorld;
let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  app = await createTestApp();
  world = await makeVisitWorld(app, { residents: 20 });
  dir = mkdtempSync(path.join(tmpdir(), 'civicpoints-import-cli-'));
  env = { DATABASE_URL: databaseUrl(app.deps.config.database) };
});
afterAll(async () => {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

const points = async () =>
  (await listAccounts(world.ctx, world.municipalityId))
    .filter((a) => a.kind === 'wallet')
    .reduce((sum, a) => sum + a.creditsPosted, 0);

it('imports a visits file with progress lines and a summary, and nothing new the second time', async () => {
  const file = path.join(dir, 'visits.csv');
  const generated = await writeVisitsCsv(file, {
    rows: 3000,
    memberCodes: world.residents.map((r) => r.memberCode),
    badEvery: 100,
  });
  const args = [
    'import',
    'visits',
    file,
    '--municipality',
    world.slug,
    '--partner',
    'Recyclagepark',
  ];
  const problemsFile = path.join(dir, 'problems.csv');
  const first = await civicpoints([...args, '--problems', problemsFile], env);
  expect(first.code, first.stderr).toBe(0);
  expect(first.stderr).toContain('3000 row(s) from Recyclagepark');
  expect(first.stderr).toContain('Imported 3000 of 3000 rows (100%)');
  expect(first.stdout).toContain('Done: 3000 of 3000 rows.');
  expect(first.stdout).toMatch(
    new RegExp(`${3000 - generated.bad.length} approved \\(\\d+ points\\)`),
  );
  expect(first.stdout).toContain(`${generated.bad.length} bad row(s)`);
  expect(first.stdout).toMatch(new RegExp(`${generated.badLines[0]}\\s+bad_number`));
  const written = readFileSync(problemsFile, 'utf8').trim().split('\n');
  expect(written.slice(1).map((line) => Number(line.split(',')[0]))).toEqual(generated.badLines);
  const paid = await points();
  expect(paid).toBeGreaterThan(0);

  const second = await civicpoints([...args, '--partner', world.partner.id], env);
  expect(second.code, second.stderr).toBe(0);
  expect(second.stdout).toContain('0 approved (0 points)');
  expect(second.stdout).toContain(`${3000 - generated.bad.length} imported before`);
  expect(await points()).toBe(paid);
});

it('exits 2 with the reason for a bad file, an unknown partner or no file', async () => {
  const code = world.residents[0]!.memberCode;
  const columns = path.join(dir, 'columns.csv');
  writeFileSync(columns, `visit_id;member;visited_at;stream;kg\nX1;${code};2025-05-01;paper;10\n`);
  const quotes = path.join(dir, 'quotes.csv');
  writeFileSync(
    quotes,
    `visit_id,member_code,visited_at,stream,kg\nX1,${code},2025-05-01,paper,10\nX2,"${code},2025-05-01,paper,10\n`,
  );
  const base = ['--municipality', world.slug, '--partner', 'Recyclagepark'];
  const before = await points();
  const wrong = await civicpoints(['import', 'visits', columns, ...base], env);
  expect(wrong.code).toBe(2);
  expect(wrong.stderr).toContain('csv_columns');
  const broken = await civicpoints(['import', 'visits', quotes, ...base], env);
  expect(broken.code).toBe(2);
  expect(broken.stderr).toMatch(/Line 3: .*quote.*\(csv_malformed\)/);
  const partner = await civicpoints(
    ['import', 'visits', quotes, '--municipality', world.slug, '--partner', 'Nobody'],
    env,
  );
  expect(partner.code).toBe(2);
  expect(partner.stderr).toContain('no partner named "Nobody"');
  const missing = await civicpoints(['import', 'visits', path.join(dir, 'nope.csv'), ...base], env);
  expect(missing.code).toBe(2);
  expect(await points()).toBe(before);
});
