import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { sql } from 'kysely';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import type { DatabaseConfig } from '../../src/config.js';
import { createTransfers, openAccount } from '../../src/modules/ledger/ledger.service.js';
import type { TransferInput } from '../../src/modules/ledger/ledger.types.js';
import { verifyLedger } from '../../src/modules/ledger/ledger.verify.js';
import { createContext, type ServiceContext } from '../../src/shared/context.js';
import { DomainError } from '../../src/shared/errors.js';
import { backupDatabase, restoreDatabase } from '../../src/storage/backup.js';
import { openStorage, type Storage } from '../../src/storage/database.js';
import { migrateToLatest } from '../../src/storage/migrate.js';
import { migrations } from '../../src/storage/migrations/index.js';
import { type Backend, describeEachBackend, sqliteBackend } from '../support/backends.js';
import { civicpoints, databaseUrl } from '../support/cli.js';
import { createLedgerFixture } from '../support/factories.js';
import { migrateTo } from '../support/migrate-to.js';

/**
 * `civicpoints backup` under a write load and `civicpoints restore` into a fresh database: the
 * restored ledger verifies and is exactly the live ledger as it was at one moment — a prefix of
 * its transfers (they are append-only, numbered per municipality), with every balance the sum
 * of that prefix. A file that is not a good backup changes nothing.
 */

const opened: Storage[] = [];
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  // Every one runs even when another fails, so no restore database is left behind.
  const results = await Promise.allSettled([...opened.splice(0).map((storage) => storage.close())]);
  results.push(...(await Promise.allSettled(cleanups.splice(0).map((cleanup) => cleanup()))));
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
});

async function openMigrated(config: DatabaseConfig) {
  const storage = openStorage(config);
  opened.push(storage);
  await migrateToLatest(storage.db);
  return storage;
}

/** Two municipalities, each with a few wallets, ready for transfers. */
async function ledgerWithWallets(ctx: ServiceContext) {
  const setups = [];
  for (const slug of ['backup-a', 'backup-b']) {
    const fixture = await createLedgerFixture(ctx, { slug });
    const wallets = [fixture.wallet.id];
    for (let i = 2; i <= 4; i++) {
      const wallet = await openAccount(ctx, {
        municipalityId: fixture.municipalityId,
        kind: 'wallet',
        ownerId: `res_${i}`,
      });
      wallets.push(wallet.id);
    }
    setups.push({ ...fixture, wallets });
  }
  return setups;
}

/**
 * Writers that keep earning points into wallets and spending some at the partner, in parallel,
 * until stopped; only single-phase transfers, so a balance is the plain sum of its transfers.
 */
function startWriteLoad(
  ctx: ServiceContext,
  setups: Awaited<ReturnType<typeof ledgerWithWallets>>,
  rounds = Number.POSITIVE_INFINITY,
) {
  let stopped = false;
  let next = 0;
  const writer = async (w: number) => {
    for (let round = 0; round < rounds && !stopped; round++) {
      const setup = setups[w % setups.length]!;
      const wallet = setup.wallets[next % setup.wallets.length]!;
      const n = next++;
      const prefix = rounds === Number.POSITIVE_INFINITY ? '' : 'after-';
      const batch: TransferInput[] = [
        {
          id: `${prefix}earn-${n}`,
          municipalityId: setup.municipalityId,
          code: 'earn',
          debitAccountId: setup.issuance.id,
          creditAccountId: wallet,
          amount: 10 + (n % 7),
        },
      ];
      if (n % 3 === 0)
        batch.push({
          id: `${prefix}spend-${n}`,
          municipalityId: setup.municipalityId,
          code: 'purchase',
          debitAccountId: wallet,
          creditAccountId: setup.partner.id,
          amount: 5,
        });
      const results = await createTransfers(ctx, batch);
      const failed = results.find((r) => r.result !== 'ok');
      if (failed) throw new Error(`transfer refused: ${JSON.stringify(failed)}`);
      // SQLite answers within microtasks: let the event loop see the backup command finish.
      await new Promise(setImmediate);
    }
  };
  const writers = Promise.all([0, 1, 2, 3, 4, 5].map(writer)).finally(() => {
    stopped = true;
  });
  return {
    stop: async () => {
      stopped = true;
      await writers;
    },
  };
}

const currentSchema = async (storage: Storage) =>
  (await sql<{ schema: string }>`select current_schema() as schema`.execute(storage.db)).rows[0]!
    .schema;

const countTransfers = async (storage: Storage) =>
  Number(
    (await sql<{ n: number }>`select count(*) as n from ledger_transfers`.execute(storage.db))
      .rows[0]!.n,
  );

interface Row {
  id: string;
  municipality_id: string;
  sequence: number;
  debit_account_id: string;
  credit_account_id: string;
  amount: number;
  hash: string;
}

const transfersOf = async (storage: Storage) =>
  (
    await sql<Row>`select id, municipality_id, sequence, debit_account_id, credit_account_id,
      amount, hash from ledger_transfers order by municipality_id, sequence`.execute(storage.db)
  ).rows.map((row) => ({ ...row, sequence: Number(row.sequence), amount: Number(row.amount) }));

/** A new, empty database to restore into, with the schema name the backup's own (PostgreSQL). */
async function restoreTarget(backend: Backend, live: DatabaseConfig): Promise<DatabaseConfig> {
  if (live.dialect === 'sqlite') return sqliteBackend.freshDatabase();
  const url = new URL(live.url);
  const name = `${url.pathname.slice(1)}_r${process.pid}_${Date.now().toString(36)}`;
  const adminUrl = new URL(live.url);
  adminUrl.searchParams.delete('options');
  const admin = new pg.Client({ connectionString: adminUrl.toString() });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  cleanups.push(async () => {
    const client = new pg.Client({ connectionString: adminUrl.toString() });
    await client.connect();
    await client.query(`drop database if exists ${name} with (force)`);
    await client.end();
  });
  url.pathname = `/${name}`;
  expect(backend.name).toBe('postgres');
  return { ...live, url: url.toString() };
}

/** The stable code a backup or restore failed with, or 'done'. */
const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'done',
    (error: unknown) => (error instanceof DomainError ? error.code : String(error)),
  );

async function backupFile(suffix: string) {
  const fresh = await sqliteBackend.freshDatabase();
  if (fresh.dialect !== 'sqlite') throw new Error('expected an SQLite file');
  const dir = path.dirname(fresh.file);
  return path.join(dir, `civicpoints-backup.${suffix}`);
}

describeEachBackend('backup and restore', (backend) => {
  it('backs up under a write load; the restore verifies and holds exactly the ledger of the moment of the backup', async () => {
    const live = await backend.freshDatabase();
    const storage = await openMigrated(live);
    const ctx = createContext(storage, { actor: { kind: 'system', name: 'test' } });
    const setups = await ledgerWithWallets(ctx);
    const file = await backupFile(backend.name === 'sqlite' ? 'db' : 'dump');
    // On PostgreSQL the job queue (pg-boss) keeps its tables in the schema `<schema>_jobs`
    // (dropped with the run's throw-away database, like the test's own schema).
    const jobsSchema = live.dialect === 'postgres' ? `${await currentSchema(storage)}_jobs` : '';
    if (jobsSchema) {
      await sql`create schema ${sql.id(jobsSchema)}`.execute(storage.db);
      await sql`create table ${sql.id(jobsSchema, 'job')} (name text)`.execute(storage.db);
      await sql`insert into ${sql.id(jobsSchema, 'job')} values ('send-digest')`.execute(
        storage.db,
      );
    }

    const load = startWriteLoad(ctx, setups);
    // The writers are under way before the backup starts.
    while ((await countTransfers(storage)) < 50) await new Promise(setImmediate);
    const atStart = await countTransfers(storage);
    const backup = await civicpoints(['backup', file], { DATABASE_URL: databaseUrl(live) });
    const atEnd = await countTransfers(storage);
    await load.stop();
    // The live ledger carries on after the backup.
    await startWriteLoad(ctx, setups, 10).stop();
    expect(backup.stderr).toBe('');
    expect(backup.code).toBe(0);
    expect(backup.stdout).toContain(`Backed up`);

    const target = await restoreTarget(backend, live);
    const restore = await civicpoints(['restore', file, '--json'], {
      DATABASE_URL: databaseUrl(target),
    });
    expect(restore.stderr).toBe('');
    expect(restore.code).toBe(0);
    const report = JSON.parse(restore.stdout) as {
      replaced: boolean;
      applied: string[];
      ledger: { ok: boolean; municipalities: { slug: string; problems: string[] }[] };
    };
    expect(report.ledger.ok).toBe(true);
    expect(report.ledger.municipalities.map((m) => m.slug).sort()).toEqual([
      'backup-a',
      'backup-b',
    ]);
    expect(report).toMatchObject({ replaced: false, applied: [] });

    const restoredStorage = openStorage(target);
    opened.push(restoredStorage);
    if (jobsSchema) {
      const jobs = await sql<{
        name: string;
      }>`select name from ${sql.id(jobsSchema, 'job')}`.execute(restoredStorage.db);
      expect(jobs.rows).toEqual([{ name: 'send-digest' }]);
    }
    const restored = await transfersOf(restoredStorage);
    const all = await transfersOf(storage);
    // Taken while the writers ran, and a snapshot of one moment within the backup command.
    expect(restored.length).toBeGreaterThan(atStart);
    expect(restored.length).toBeLessThanOrEqual(atEnd);
    expect(all.length).toBeGreaterThan(restored.length);

    const sums = new Map<string, { debits: number; credits: number }>();
    for (const setup of setups) {
      const liveChain = all.filter((t) => t.municipality_id === setup.municipalityId);
      const restoredChain = restored.filter((t) => t.municipality_id === setup.municipalityId);
      // Exactly a prefix of the live chain: same transfers, same order, same hashes, no gap.
      expect(restoredChain).toEqual(liveChain.slice(0, restoredChain.length));
      for (const t of restoredChain) {
        const debit = sums.get(t.debit_account_id) ?? { debits: 0, credits: 0 };
        debit.debits += t.amount;
        sums.set(t.debit_account_id, debit);
        const credit = sums.get(t.credit_account_id) ?? { debits: 0, credits: 0 };
        credit.credits += t.amount;
        sums.set(t.credit_account_id, credit);
      }
    }
    const accounts = await restoredStorage.db
      .selectFrom('ledger_accounts')
      .select(['id', 'debits_posted', 'credits_posted', 'debits_pending', 'credits_pending'])
      .execute();
    expect(accounts.length).toBeGreaterThan(0);
    for (const account of accounts) {
      const expected = sums.get(account.id) ?? { debits: 0, credits: 0 };
      expect({
        id: account.id,
        debits: Number(account.debits_posted),
        credits: Number(account.credits_posted),
        pending: Number(account.debits_pending) + Number(account.credits_pending),
      }).toEqual({ id: account.id, ...expected, pending: 0 });
    }
  });

  it('refuses a file that is not a good backup, or a database with data, and changes nothing', async () => {
    const live = await backend.freshDatabase();
    const storage = await openMigrated(live);
    const ctx = createContext(storage, { actor: { kind: 'system', name: 'test' } });
    const setups = await ledgerWithWallets(ctx);
    await createTransfers(ctx, [
      {
        id: 'before-backup',
        municipalityId: setups[0]!.municipalityId,
        code: 'earn',
        debitAccountId: setups[0]!.issuance.id,
        creditAccountId: setups[0]!.wallets[0]!,
        amount: 40,
      },
    ]);
    const good = await backupFile(backend.name === 'sqlite' ? 'db' : 'dump');
    await backupDatabase(live, good);
    // What a restore would bring back must differ from what is there, to see that nothing moved.
    await createTransfers(ctx, [
      {
        id: 'after-backup',
        municipalityId: setups[0]!.municipalityId,
        code: 'earn',
        debitAccountId: setups[0]!.issuance.id,
        creditAccountId: setups[0]!.wallets[1]!,
        amount: 60,
      },
    ]);
    const before = await transfersOf(storage);

    const dir = path.dirname(good);
    const garbage = path.join(dir, 'garbage.bak');
    writeFileSync(garbage, 'this is not a backup\n'.repeat(100));
    // The file is judged before the database is opened, the same for both: the command once.
    if (backend.name === 'sqlite') {
      const failed = await civicpoints(['restore', garbage, '--force'], {
        DATABASE_URL: databaseUrl(live),
      });
      expect(failed.code).toBe(2);
      expect(failed.stdout).toBe('');
      expect(failed.stderr).toMatch(/is not a CivicPoints backup .*\(not_a_backup\)\n$/);
      expect(failed.stderr).not.toMatch(/\n\s+at /);
      if (live.dialect === 'sqlite')
        expect(await codeOf(backupDatabase(live, live.file, { force: true }))).toBe(
          'backup_is_database',
        );
    }

    const truncated = path.join(dir, `truncated.${backend.name}`);
    const bytes = readFileSync(good);
    writeFileSync(truncated, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const otherKind = path.join(dir, 'other-kind.bak');
    if (backend.name === 'sqlite') writeFileSync(otherKind, `PGDMP${'x'.repeat(100)}`);
    else new SqliteDatabase(otherKind).exec('create table t (x)');

    expect(await codeOf(restoreDatabase(live, garbage, { force: true }))).toBe('not_a_backup');
    expect(await codeOf(restoreDatabase(live, truncated, { force: true }))).toBe('backup_corrupt');
    expect(await codeOf(restoreDatabase(live, otherKind, { force: true }))).toBe(
      'backup_wrong_database',
    );
    expect(await codeOf(restoreDatabase(live, path.join(dir, 'missing.bak')))).toBe(
      'backup_not_found',
    );
    expect(await codeOf(restoreDatabase(live, good))).toBe('restore_target_not_empty');
    const size = statSync(good).size;
    expect(await codeOf(backupDatabase(live, good))).toBe('backup_file_exists');
    expect(statSync(good).size).toBe(size);

    if (backend.name === 'postgres') {
      // The PostgreSQL tools: a folder without them, or with tools older than the server.
      const empty = path.join(dir, 'no-tools');
      const old = path.join(dir, 'old-tools');
      mkdirSync(empty);
      mkdirSync(old);
      for (const tool of ['pg_dump', 'pg_restore', 'psql']) {
        writeFileSync(path.join(old, tool), `#!/bin/sh\necho "${tool} (PostgreSQL) 9.6.24"\n`, {
          mode: 0o755,
        });
      }
      const other = path.join(dir, 'other.dump');
      expect(await codeOf(backupDatabase(live, other, { pgBinDir: empty }))).toBe(
        'pg_tools_missing',
      );
      expect(await codeOf(backupDatabase(live, other, { pgBinDir: old }))).toBe('pg_tools_too_old');
      expect(await codeOf(restoreDatabase(live, good, { force: true, pgBinDir: old }))).toBe(
        'pg_tools_too_old',
      );
    }

    expect(await transfersOf(storage)).toEqual(before);
    const verified = await verifyLedger(ctx);
    expect(verified.ok).toBe(true);
  });
});

describe('backup and restore across versions [sqlite]', () => {
  it('brings a backup from an older version up to date, and refuses one from a newer version', async () => {
    const live = await sqliteBackend.freshDatabase();
    const storage = openStorage(live);
    opened.push(storage);
    await migrateTo(storage, '0002-create-ledger');
    const old = await backupFile('old.db');
    await backupDatabase(live, old);

    const target = await sqliteBackend.freshDatabase();
    const restore = await civicpoints(['restore', old, '--json'], {
      DATABASE_URL: databaseUrl(target),
    });
    expect(restore.stderr).toBe('');
    expect(restore.code).toBe(0);
    const report = JSON.parse(restore.stdout) as {
      migrations: string[];
      applied: string[];
      ledger: { ok: boolean };
    };
    expect(report.migrations).toEqual(['0001-create-tenancy', '0002-create-ledger']);
    expect(report.applied).toEqual(Object.keys(migrations).slice(2));
    expect(report.ledger.ok).toBe(true);

    const future = new SqliteDatabase(old);
    future
      .prepare(`insert into kysely_migration (name, timestamp) values (?, ?)`)
      .run('9999-from-a-newer-version', new Date().toISOString());
    future.close();
    expect(await codeOf(restoreDatabase(target, old, { force: true }))).toBe('backup_too_new');
  });
});
