import { execFile } from 'node:child_process';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import SqliteDatabase from 'better-sqlite3';
import { createActivity } from '../src/modules/catalog/catalog.service.js';
import { DEFAULT_EARNING_SETTINGS } from '../src/modules/claims/claims.types.js';
import { saveEarningSettings } from '../src/modules/claims/earning-settings.service.js';
import type { ImportRun } from '../src/modules/claims/visit-imports.types.js';
import { readVisitsCsv } from '../src/modules/claims/visits-csv.js';
import { registerResident } from '../src/modules/identity/identity.service.js';
import type { Resident } from '../src/modules/identity/identity.types.js';
import { ensureSystemAccounts } from '../src/modules/ledger/ledger.service.js';
import { createPartner } from '../src/modules/partners/partners.service.js';
import { inTransaction } from '../src/storage/transaction.js';
import { writeVisitsCsv } from '../test/support/visits-csv.js';
import { preparedStorage } from './ledger-raw.js';
import { round } from './ledger-workload.js';
import { type BenchResult, sqliteDatabase } from './support.js';

/**
 * The visits import end to end on SQLite (`visits_csv`): a generated file of 1,000,000 rows
 * (BENCH_IMPORT_ROWS), 1 % of them bad, for 20,000 residents (BENCH_IMPORT_RESIDENTS) of a
 * municipality with the demo's recycling terms (1 point per kg, at most 100 per visit and 200 a
 * month per stream, a yearly cap of 2,500), imported as the CLI does: the first pass (shape and
 * row count), then batches of 2,000 rows — parse, find the residents, check the limits, store
 * the claims, post the ledger transfers, keep progress and bad rows. `per_s` is rows over the
 * wall time of both passes; `rss_mb` the peak resident memory sampled during the import;
 * `cpu_s` the import process's CPU time (user + system), steadier than the wall time when
 * other work shares the machine.
 *
 * Measured in the same run: `parse_per_s`, the file read by the parser alone (pass 2 without
 * the database), and the baseline — raw better-sqlite3 prepared statements writing the rows our
 * import wrote (the same claims and ledger transfers, each touched account's balances and lot,
 * the chain head) into a copy of the database as it was before the import, in transactions of
 * 2,000 claims, with the same durability. `ratio` is ours over that baseline.
 */

const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 1_000_000);
const RESIDENTS = Number(process.env.BENCH_IMPORT_RESIDENTS ?? 20_000);
const STREAMS = ['paper', 'glass', 'green', 'wood', 'metal', 'plastic_film', 'textile', 'weee'];

export async function run(): Promise<BenchResult[]> {
  const database = sqliteDatabase();
  if (database.config.dialect !== 'sqlite') throw new Error('unreachable');
  const dir = path.dirname(database.config.file);
  const { storage, ctx, municipalityId } = await preparedStorage(database.config);
  try {
    const cli = { ...ctx, actor: { kind: 'operator_cli' as const } };
    const partner = await createPartner(cli, municipalityId, {
      name: 'Recyclagepark',
      kind: 'recycling_centre',
    });
    for (const stream of STREAMS) {
      await createActivity(cli, municipalityId, {
        code: `recycling-${stream.replace('_', '-')}`,
        terms: recyclingTerms(stream),
      });
    }
    await saveEarningSettings(cli, municipalityId, {
      ...DEFAULT_EARNING_SETTINGS,
      yearlyCapPoints: 2500,
    });
    await ensureSystemAccounts(ctx, municipalityId);
    const residents: Resident[] = [];
    await inTransaction(ctx.db, async (db) => {
      for (let i = 0; i < RESIDENTS; i++) {
        residents.push(
          await registerResident({ ...ctx, db }, { email: null, municipalityId, locale: 'nl' }),
        );
      }
    });
    const file = path.join(dir, 'visits.csv');
    await writeVisitsCsv(file, {
      rows: ROWS,
      memberCodes: residents.map((r) => r.memberCode),
      badEvery: 100,
    });
    residents.length = 0;

    const parseStarted = performance.now();
    let parsed = 0;
    for await (const batch of readVisitsCsv(createReadStream(file))) parsed += batch.length;
    const parseSeconds = (performance.now() - parseStarted) / 1000;

    const before = path.join(dir, 'before.db');
    storage.sqlite!.exec(`vacuum into '${before}'`);
    await storage.close();

    const measured = await importInChild(database.config.file, file, municipalityId, partner.id);
    const { run: done, seconds, peakRssMb, cpuSeconds } = measured;
    if (process.env.BENCH_MEMORY) process.stderr.write(`${JSON.stringify(measured.memory)}\n`);
    if (done.status !== 'done' || done.rowsDone !== ROWS) {
      throw new Error(`the import did not finish: ${JSON.stringify(done)}`);
    }
    const baselineSeconds = rawReplay(database.config.file, before);
    const perS = Math.round(ROWS / seconds);
    const baselinePerS = Math.round(ROWS / baselineSeconds);
    return [
      {
        bench: 'import',
        backend: 'sqlite',
        case: 'visits_csv',
        per_s: perS,
        rss_mb: peakRssMb,
        rows: ROWS,
        residents: RESIDENTS,
        duration_s: round(seconds, 2),
        cpu_s: round(cpuSeconds, 1),
        awarded: done.awarded,
        problems: done.problems,
        points: done.points,
        parse_per_s: Math.round(parsed / parseSeconds),
        baseline: 'raw better-sqlite3 writes of the same claims and transfers',
        baseline_per_s: baselinePerS,
        ratio: round(perS / baselinePerS, 3),
      },
    ];
  } finally {
    await storage.close().catch(() => {});
    await database.drop();
  }
}

function recyclingTerms(stream: string) {
  const text = { nl: stream, fr: stream, de: stream, en: stream };
  return {
    names: text,
    descriptions: text,
    category: 'waste' as const,
    points: {
      mode: 'per_unit' as const,
      unit: 'kg' as const,
      pointsPerUnit: 1,
      maxPointsPerClaim: 100,
    },
    verificationMethods: ['import' as const],
    limits: [{ scope: 'resident' as const, period: 'month' as const, maxPoints: 200 }],
    cooldownSeconds: 0,
    validFrom: null,
    validUntil: null,
    budget: null,
    evidence: { photo: false, location: false, site: false },
    site: null,
    partnerKind: 'recycling_centre' as const,
    partnerId: null,
    impactKey: stream,
    earnedThrough: 'claims' as const,
  };
}

/** Runs bench/import-child.ts on the prepared database and reads its figures. */
async function importInChild(
  file: string,
  csv: string,
  municipalityId: string,
  partnerId: string,
): Promise<{
  run: ImportRun;
  seconds: number;
  peakRssMb: number;
  cpuSeconds: number;
  memory: NodeJS.MemoryUsage;
}> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(import.meta.dirname, 'import-child.ts'),
      file,
      csv,
      municipalityId,
      partnerId,
    ],
    { maxBuffer: 1024 * 1024, env: { ...process.env, LOG_LEVEL: 'silent' } },
  );
  return JSON.parse(stdout.trim().split('\n').pop()!);
}

const CLAIMS_PER_TRANSACTION = 2000;

/**
 * Writes what our import wrote into the copy of the database from before it, with plain
 * prepared statements in transactions of 2,000 claims; returns the seconds spent writing
 * (reading the rows from our database is not counted).
 */
function rawReplay(ourFile: string, copyFile: string): number {
  const source = new SqliteDatabase(ourFile, { readonly: true });
  const target = new SqliteDatabase(copyFile);
  target.pragma('journal_mode = WAL');
  target.pragma('synchronous = FULL');
  target.pragma('foreign_keys = ON');
  const claimColumns = (
    source.prepare('select * from claims limit 1').columns() as { name: string }[]
  ).map((c) => c.name);
  const transferColumns = (
    source.prepare('select * from ledger_transfers limit 1').columns() as { name: string }[]
  ).map((c) => c.name);
  const insertClaim = target.prepare(
    `insert into claims (${claimColumns.join(', ')}) values (${claimColumns.map(() => '?').join(', ')})`,
  );
  const insertTransfer = target.prepare(
    `insert into ledger_transfers (${transferColumns.join(', ')}) values (${transferColumns.map(() => '?').join(', ')})`,
  );
  const addToAccount = target.prepare(
    'update ledger_accounts set debits_posted = debits_posted + ?, credits_posted = credits_posted + ? where id = ?',
  );
  const upsertLot = target.prepare(
    `insert into ledger_lots (id, municipality_id, account_id, expires_at, remaining) values (?, ?, ?, ?, ?)
     on conflict (id) do update set remaining = remaining + excluded.remaining`,
  );
  const upsertHead = target.prepare(
    `insert into ledger_chain_heads (municipality_id, sequence, hash) values (?, ?, ?)
     on conflict (municipality_id) do update set sequence = excluded.sequence, hash = excluded.hash`,
  );
  const lotOf = new Map(
    (
      source.prepare('select id, account_id, expires_at from ledger_lots').all() as {
        id: string;
        account_id: string;
        expires_at: string | null;
      }[]
    ).map((lot) => [lot.account_id, lot]),
  );
  const transfersOf = source.prepare(
    `select * from ledger_transfers where reference in (select value from json_each(?)) order by sequence`,
  );
  const claims = source.prepare('select * from claims order by rowid').raw(true);
  let seconds = 0;
  let chunk: unknown[][] = [];
  const flush = () => {
    const ids = JSON.stringify(chunk.map((row) => row[0]));
    const transfers = transfersOf.raw(true).all(ids) as unknown[][];
    const started = performance.now();
    target.exec('begin immediate');
    for (const row of chunk) insertClaim.run(row);
    const deltas = new Map<string, { debits: number; credits: number }>();
    const amountAt = transferColumns.indexOf('amount');
    const debitAt = transferColumns.indexOf('debit_account_id');
    const creditAt = transferColumns.indexOf('credit_account_id');
    for (const transfer of transfers) {
      insertTransfer.run(transfer);
      const amount = Number(transfer[amountAt]);
      const debit = deltas.get(transfer[debitAt] as string) ?? { debits: 0, credits: 0 };
      debit.debits += amount;
      deltas.set(transfer[debitAt] as string, debit);
      const credit = deltas.get(transfer[creditAt] as string) ?? { debits: 0, credits: 0 };
      credit.credits += amount;
      deltas.set(transfer[creditAt] as string, credit);
    }
    for (const [id, delta] of deltas) {
      addToAccount.run(delta.debits, delta.credits, id);
      const lot = lotOf.get(id);
      if (lot) upsertLot.run(lot.id, transfers[0]![1], id, lot.expires_at, delta.credits);
    }
    const last = transfers[transfers.length - 1];
    if (last) {
      upsertHead.run(
        last[transferColumns.indexOf('municipality_id')],
        last[transferColumns.indexOf('sequence')],
        last[transferColumns.indexOf('hash')],
      );
    }
    target.exec('commit');
    seconds += (performance.now() - started) / 1000;
    chunk = [];
  };
  for (const row of claims.iterate() as Iterable<unknown[]>) {
    chunk.push(row);
    if (chunk.length === CLAIMS_PER_TRANSACTION) flush();
  }
  if (chunk.length > 0) flush();
  source.close();
  target.close();
  return seconds;
}
