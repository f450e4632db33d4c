import { randomBytes } from 'node:crypto';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { monotonicFactory } from 'ulid';
import type { DatabaseConfig } from '../src/config.js';
import { lotExpiry, lotIdFor } from '../src/modules/ledger/ledger.lots.js';
import type { TransferInput } from '../src/modules/ledger/ledger.types.js';
import { createMunicipality } from '../src/modules/tenancy/tenancy.service.js';
import { createContext, type ServiceContext } from '../src/shared/context.js';
import { openStorage, type Storage } from '../src/storage/database.js';
import { migrateToLatest } from '../src/storage/migrate.js';
import { type BenchAccounts, TransferStream, WALLETS } from './ledger-workload.js';

/**
 * The raw baselines: what a competent hand-written ledger writer costs on the same schema (same
 * tables, indexes, foreign keys and checks, migrated by the same migrations), with the same
 * durability, writing the same rows in transactions of 1,000. Per transaction: insert every
 * transfer row (sequence, prev_hash and a precomputed 64-hex hash filled in), add each touched
 * account's summed deltas to its balances once, upsert each touched wallet's lot once, and move
 * the chain head. No hashing, no reads: the checks and the primary key are left to the database.
 */

/** A raw writer on its own fresh database, fed from its own copy of the seeded stream. */
export interface RawWriter {
  name: string;
  stream: TransferStream;
  /** Writes one batch in one durable transaction. */
  write(inputs: TransferInput[]): Promise<void>;
  /** What balancesInRoleOrder gives for this database. */
  balances(): Promise<number[][]>;
  close(): Promise<void>;
}

/** Earned points expire after two years, as in the demo region: every earn goes into a lot. */
const POINTS_EXPIRY_MONTHS = 24;

/** A migrated database with one municipality, as both our ledger and the baselines start from. */
export async function preparedStorage(
  config: DatabaseConfig,
): Promise<{ storage: Storage; ctx: ServiceContext; municipalityId: string }> {
  const storage = openStorage(config);
  await migrateToLatest(storage.db);
  const ctx = createContext(storage, { actor: { kind: 'system', name: 'bench' } });
  const name = 'Benchgem';
  const municipality = await createMunicipality(ctx, {
    slug: 'benchgem',
    nisCode: '99999',
    names: { nl: name, fr: name, de: name, en: name },
    defaultLocale: 'nl',
    registeredHouseholds: 10_000,
    pointValueCents: 1,
    pointsExpiryMonths: POINTS_EXPIRY_MONTHS,
  });
  return { storage, ctx, municipalityId: municipality.id };
}

/** The accounts as rows, written the way the ledger stores them (wallets flagged 1). */
async function insertAccounts(storage: Storage, municipalityId: string): Promise<BenchAccounts> {
  const nextUlid = monotonicFactory();
  const now = new Date().toISOString();
  const row = (kind: 'issuance' | 'wallet' | 'partner', ownerId: string, flags: number) => ({
    id: `acc_${nextUlid().toLowerCase()}`,
    municipality_id: municipalityId,
    kind,
    owner_id: ownerId,
    flags,
    debits_posted: 0,
    credits_posted: 0,
    debits_pending: 0,
    credits_pending: 0,
    created_at: now,
  });
  const issuance = row('issuance', '', 0);
  const wallets = Array.from({ length: WALLETS }, (_, i) => row('wallet', `res_bench_${i}`, 1));
  const partner = row('partner', 'prt_bench', 0);
  await storage.db
    .insertInto('ledger_accounts')
    .values([issuance, ...wallets, partner])
    .execute();
  return { issuance: issuance.id, wallets: wallets.map((w) => w.id), partner: partner.id };
}

const HASHES = Array.from({ length: 4096 }, () => randomBytes(32).toString('hex'));
const GENESIS = '0'.repeat(64);

/**
 * Turns inputs into the columns a writer stores, continuing the chain; sums the balance deltas
 * per account and the lot deltas per wallet. Every earn of the run lands in the wallet's lot of
 * today (one lot per wallet per day, as the ledger keeps them) and the few spends take from it,
 * so the baseline upserts one lot row per touched wallet per batch, as ours does.
 */
class RowBuilder {
  sequence = 0;
  hash = GENESIS;

  constructor(private readonly wallets: ReadonlySet<string>) {}

  build(inputs: TransferInput[]) {
    const n = inputs.length;
    const rows = {
      ids: new Array<string>(n),
      sequences: new Array<number>(n),
      debits: new Array<string>(n),
      credits: new Array<string>(n),
      amounts: new Array<number>(n),
      codes: new Array<string>(n),
      references: new Array<string | null>(n),
      prevHashes: new Array<string>(n),
      hashes: new Array<string>(n),
    };
    const deltas = new Map<string, { debits: number; credits: number }>();
    const delta = (id: string) => {
      let entry = deltas.get(id);
      if (!entry) {
        entry = { debits: 0, credits: 0 };
        deltas.set(id, entry);
      }
      return entry;
    };
    for (let i = 0; i < n; i += 1) {
      const input = inputs[i]!;
      this.sequence += 1;
      const hash = HASHES[this.sequence % HASHES.length]!;
      rows.ids[i] = input.id;
      rows.sequences[i] = this.sequence;
      rows.debits[i] = input.debitAccountId!;
      rows.credits[i] = input.creditAccountId!;
      rows.amounts[i] = input.amount!;
      rows.codes[i] = input.code;
      rows.references[i] = input.reference ?? null;
      rows.prevHashes[i] = this.hash;
      rows.hashes[i] = hash;
      this.hash = hash;
      delta(input.debitAccountId!).debits += input.amount!;
      delta(input.creditAccountId!).credits += input.amount!;
    }
    const now = new Date();
    const lotExpiresAt = lotExpiry(now, POINTS_EXPIRY_MONTHS);
    const lots = [...deltas]
      .filter(([id]) => this.wallets.has(id))
      .map(([accountId, d]) => ({
        id: lotIdFor(accountId, lotExpiresAt),
        accountId,
        delta: d.credits - d.debits,
      }));
    return { rows, deltas, lots, lotExpiresAt, createdAt: now.toISOString() };
  }
}

export interface BalanceRow {
  id: string;
  debits_posted: number | string;
  credits_posted: number | string;
}

export interface LotRow {
  account_id: string;
  remaining: number | string;
}

/**
 * Posted balances of issuance, each wallet and the partner, in that order, each wallet's with
 * the points left in its lots (summed: which day's lot a spend took from may differ at midnight).
 */
export function balancesInRoleOrder(
  accounts: BenchAccounts,
  rows: BalanceRow[],
  lots: LotRow[],
): number[][] {
  const byId = new Map(rows.map((row) => [row.id, row]));
  const inLots = new Map<string, number>();
  for (const lot of lots) {
    inLots.set(lot.account_id, (inLots.get(lot.account_id) ?? 0) + Number(lot.remaining));
  }
  return [accounts.issuance, ...accounts.wallets, accounts.partner].map((id) => {
    const row = byId.get(id);
    if (!row) throw new Error(`account ${id} is missing`);
    return [Number(row.debits_posted), Number(row.credits_posted), inLots.get(id) ?? 0];
  });
}

const BALANCES_SQL = 'select id, debits_posted, credits_posted from ledger_accounts';
const LOTS_SQL = 'select account_id, remaining from ledger_lots';

/** Plain better-sqlite3 prepared statements on a separate handle with the app's pragmas. */
export async function openRawSqlite(
  config: Extract<DatabaseConfig, { dialect: 'sqlite' }>,
): Promise<RawWriter> {
  const { storage, municipalityId } = await preparedStorage(config);
  const accounts = await insertAccounts(storage, municipalityId);
  await storage.close();

  const db = new SqliteDatabase(config.file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  const insert = db.prepare(
    `insert into ledger_transfers (id, municipality_id, sequence, debit_account_id,
       credit_account_id, amount, phase, pending_id, timeout_seconds, expires_at, code, reference,
       reverses_id, created_at, prev_hash, hash)
     values (?, ?, ?, ?, ?, ?, 'single', null, null, null, ?, ?, null, ?, ?, ?)`,
  );
  const update = db.prepare(
    `update ledger_accounts set debits_posted = debits_posted + ?, credits_posted = credits_posted + ?
     where id = ?`,
  );
  const head = db.prepare(
    `insert into ledger_chain_heads (municipality_id, sequence, hash) values (?, ?, ?)
     on conflict (municipality_id) do update set sequence = excluded.sequence, hash = excluded.hash`,
  );
  const lot = db.prepare(
    `insert into ledger_lots (id, municipality_id, account_id, expires_at, remaining)
     values (?, ?, ?, ?, ?)
     on conflict (id) do update set remaining = remaining + excluded.remaining`,
  );
  const builder = new RowBuilder(new Set(accounts.wallets));
  const writeBatch = db.transaction((inputs: TransferInput[]) => {
    const { rows, deltas, lots, lotExpiresAt, createdAt } = builder.build(inputs);
    for (let i = 0; i < inputs.length; i += 1) {
      insert.run(
        rows.ids[i],
        municipalityId,
        rows.sequences[i],
        rows.debits[i],
        rows.credits[i],
        rows.amounts[i],
        rows.codes[i],
        rows.references[i],
        createdAt,
        rows.prevHashes[i],
        rows.hashes[i],
      );
    }
    for (const [id, d] of deltas) update.run(d.debits, d.credits, id);
    for (const l of lots) lot.run(l.id, municipalityId, l.accountId, lotExpiresAt, l.delta);
    head.run(municipalityId, builder.sequence, builder.hash);
  });
  return {
    name: 'raw better-sqlite3',
    stream: new TransferStream(municipalityId, accounts),
    write: async (inputs) => writeBatch.immediate(inputs),
    balances: async () =>
      balancesInRoleOrder(
        accounts,
        db.prepare(BALANCES_SQL).all() as BalanceRow[],
        db.prepare(LOTS_SQL).all() as LotRow[],
      ),
    close: async () => {
      db.close();
    },
  };
}

/** Plain `pg` set-based SQL: one insert … select from unnest and one update … from unnest. */
export async function openRawPostgres(
  config: Extract<DatabaseConfig, { dialect: 'postgres' }>,
): Promise<RawWriter> {
  const { storage, municipalityId } = await preparedStorage(config);
  const accounts = await insertAccounts(storage, municipalityId);
  await storage.close();

  const client = new pg.Client({ connectionString: config.url });
  await client.connect();
  const builder = new RowBuilder(new Set(accounts.wallets));
  const write = async (inputs: TransferInput[]) => {
    const { rows, deltas, lots, lotExpiresAt, createdAt } = builder.build(inputs);
    await client.query('begin');
    try {
      await client.query({
        name: 'raw-insert-transfers',
        text: `insert into ledger_transfers (id, municipality_id, sequence, debit_account_id,
                 credit_account_id, amount, phase, pending_id, timeout_seconds, expires_at, code,
                 reference, reverses_id, created_at, prev_hash, hash)
               select u.id, $1, u.sequence, u.debit, u.credit, u.amount, 'single', null, null, null,
                      u.code, u.reference, null, $2::timestamptz, u.prev_hash, u.hash
               from unnest($3::text[], $4::int8[], $5::text[], $6::text[], $7::int8[], $8::text[],
                           $9::text[], $10::text[], $11::text[])
                 as u(id, sequence, debit, credit, amount, code, reference, prev_hash, hash)`,
        values: [
          municipalityId,
          createdAt,
          rows.ids,
          rows.sequences,
          rows.debits,
          rows.credits,
          rows.amounts,
          rows.codes,
          rows.references,
          rows.prevHashes,
          rows.hashes,
        ],
      });
      const ids = [...deltas.keys()];
      await client.query({
        name: 'raw-update-balances',
        text: `update ledger_accounts a
               set debits_posted = a.debits_posted + u.debits,
                   credits_posted = a.credits_posted + u.credits
               from unnest($1::text[], $2::int8[], $3::int8[]) as u(id, debits, credits)
               where a.id = u.id`,
        values: [
          ids,
          ids.map((id) => deltas.get(id)!.debits),
          ids.map((id) => deltas.get(id)!.credits),
        ],
      });
      await client.query({
        name: 'raw-upsert-lots',
        text: `insert into ledger_lots (id, municipality_id, account_id, expires_at, remaining)
               select u.id, $1, u.account_id, $2::timestamptz, u.delta
               from unnest($3::text[], $4::text[], $5::int8[]) as u(id, account_id, delta)
               on conflict (id) do update set remaining = ledger_lots.remaining + excluded.remaining`,
        values: [
          municipalityId,
          lotExpiresAt,
          lots.map((l) => l.id),
          lots.map((l) => l.accountId),
          lots.map((l) => l.delta),
        ],
      });
      await client.query({
        name: 'raw-move-head',
        text: `insert into ledger_chain_heads (municipality_id, sequence, hash) values ($1, $2, $3)
               on conflict (municipality_id) do update
               set sequence = excluded.sequence, hash = excluded.hash`,
        values: [municipalityId, builder.sequence, builder.hash],
      });
      await client.query('commit');
    } catch (error) {
      await client.query('rollback');
      throw error;
    }
  };
  return {
    name: 'raw pg set-based',
    stream: new TransferStream(municipalityId, accounts),
    write,
    balances: async () =>
      balancesInRoleOrder(
        accounts,
        (await client.query<BalanceRow>(BALANCES_SQL)).rows,
        (await client.query<LotRow>(LOTS_SQL)).rows,
      ),
    close: () => client.end(),
  };
}
