import { sql } from 'kysely';
import pg from 'pg';
import type { DatabaseConfig } from '../src/config.js';
import type { Storage } from '../src/storage/database.js';
import type { Database } from '../src/storage/schema.js';

/**
 * Bulk rows straight into the migrated tables, for the region benchmark's generator. SQLite: one
 * prepared INSERT per table, run in large transactions on the raw better-sqlite3 handle.
 * PostgreSQL: a second connection that sends a batch of rows as one array per column,
 * `INSERT … SELECT * FROM unnest($1::text[], $2::int8[], …)` (the column types read from the
 * catalogue). While loading, the secondary indexes of the loaded tables are dropped and built
 * again at the end (from their own definitions, so the schema ends exactly as migrated), and
 * foreign-key checks are off (the generator writes parents first; `pragma foreign_key_check` or
 * the FK triggers would only re-read what it wrote). Durability is relaxed for the load only
 * (synchronous=OFF, synchronous_commit=off): a crash loses the bench database, nothing else.
 */

export type Table = keyof Database;
type Row = Record<string, unknown>;

/** Tables the generator fills in bulk; their secondary indexes are rebuilt after the load. */
export const BULK_TABLES: Table[] = [
  'residents',
  'households',
  'household_members',
  'ledger_accounts',
  'ledger_transfers',
  'ledger_lots',
  'ledger_lot_reservations',
  'claims',
  'vouchers',
  'voucher_redemptions',
  'settlement_statements',
  'reports',
  'report_updates',
  'tasks',
];

export interface Sink {
  add(table: Table, row: Row): void;
  /** Writes what is buffered when a table's buffer is large (call between events). */
  drain(): Promise<void>;
  /** Writes everything buffered. */
  flush(): Promise<void>;
  /** Runs a statement on the loading connection (balances, chain heads). */
  exec(statement: string, params?: unknown[]): Promise<void>;
  rows: number;
  close(): Promise<void>;
}

const SQLITE_COMMIT_EVERY = 200_000;
const PG_BATCH = 5_000;

/** Drops the secondary indexes of the bulk tables; returns the statements that rebuild them. */
export async function dropSecondaryIndexes(storage: Storage): Promise<string[]> {
  if (storage.dialect === 'sqlite') {
    const rows = storage
      .sqlite!.prepare(
        `select name, sql from sqlite_master where type = 'index' and sql is not null and tbl_name in (${BULK_TABLES.map(() => '?').join(',')})`,
      )
      .all(...BULK_TABLES) as { name: string; sql: string }[];
    for (const row of rows) storage.sqlite!.exec(`drop index "${row.name}"`);
    return rows.map((row) => row.sql);
  }
  const { rows } = await sql<{ indexname: string; indexdef: string }>`
    select i.indexname, i.indexdef from pg_indexes i
    where i.schemaname = 'public' and i.tablename in (${sql.join(BULK_TABLES)})
      and not exists (
        select 1 from pg_constraint c
        where c.conindid = (quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass
      )`.execute(storage.db);
  for (const row of rows) await sql.raw(`drop index "${row.indexname}"`).execute(storage.db);
  return rows.map((row) => row.indexdef);
}

/** Builds the indexes again (maintenance memory raised on PostgreSQL), then fresh statistics. */
export async function rebuildIndexes(storage: Storage, statements: string[]) {
  if (storage.dialect === 'sqlite') {
    for (const statement of statements) storage.sqlite!.exec(statement);
    storage.sqlite!.exec('analyze');
    return;
  }
  await sql`set maintenance_work_mem = '512MB'`.execute(storage.db);
  for (const statement of statements) await sql.raw(statement).execute(storage.db);
  await sql.raw('vacuum analyze').execute(storage.db);
}

export async function openSink(storage: Storage, config: DatabaseConfig): Promise<Sink> {
  return storage.dialect === 'sqlite' ? sqliteSink(storage) : postgresSink(config);
}

function sqliteSink(storage: Storage): Sink {
  const db = storage.sqlite!;
  // No journal while loading (a WAL would write every page twice); WAL again afterwards.
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('foreign_keys = OFF');
  db.pragma('cache_size = -262144');
  const statements = new Map<
    Table,
    { run: (...values: unknown[]) => unknown; columns: string[] }
  >();
  let inTx = false;
  let sinceCommit = 0;
  const sink: Sink = {
    rows: 0,
    add(table, row) {
      let statement = statements.get(table);
      if (!statement) {
        const columns = Object.keys(row);
        const prepared = db.prepare(
          `insert into ${table} (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')})`,
        );
        statement = { run: (...values) => prepared.run(...values), columns };
        statements.set(table, statement);
      }
      if (!inTx) {
        db.exec('begin');
        inTx = true;
      }
      statement.run(...statement.columns.map((c) => row[c]));
      sink.rows += 1;
      if (++sinceCommit >= SQLITE_COMMIT_EVERY) {
        db.exec('commit');
        inTx = false;
        sinceCommit = 0;
      }
    },
    async drain() {},
    async flush() {
      if (inTx) db.exec('commit');
      inTx = false;
      sinceCommit = 0;
    },
    async exec(statement, params = []) {
      await sink.flush();
      db.prepare(statement).run(...params);
    },
    async close() {
      await sink.flush();
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      db.pragma('foreign_keys = ON');
    },
  };
  return sink;
}

async function postgresSink(config: DatabaseConfig): Promise<Sink> {
  if (config.dialect !== 'postgres') throw new Error('postgres only');
  const client = new pg.Client({ connectionString: config.url });
  await client.connect();
  await client.query('set synchronous_commit = off');
  // Foreign-key checks are triggers; a superuser's session can skip them for the load.
  await client.query('set session_replication_role = replica');
  const types = new Map<string, Map<string, string>>();
  const { rows: columnRows } = await client.query<{
    table_name: string;
    column_name: string;
    udt_name: string;
  }>(
    `select table_name, column_name, udt_name from information_schema.columns where table_schema = 'public'`,
  );
  for (const row of columnRows) {
    let table = types.get(row.table_name);
    if (!table) {
      table = new Map();
      types.set(row.table_name, table);
    }
    table.set(row.column_name, row.udt_name);
  }
  const buffers = new Map<Table, { columns: string[]; values: unknown[][]; count: number }>();
  const write = async (table: Table) => {
    const buffer = buffers.get(table);
    if (!buffer || buffer.count === 0) return;
    const tableTypes = types.get(table)!;
    const casts = buffer.columns.map((c, i) => `$${i + 1}::${tableTypes.get(c)}[]`);
    await client.query(
      `insert into ${table} (${buffer.columns.join(', ')}) select * from unnest(${casts.join(', ')})`,
      buffer.values,
    );
    buffer.values = buffer.columns.map(() => []);
    buffer.count = 0;
  };
  let open = false;
  const sink: Sink = {
    rows: 0,
    add(table, row) {
      let buffer = buffers.get(table);
      if (!buffer) {
        const columns = Object.keys(row);
        buffer = { columns, values: columns.map(() => []), count: 0 };
        buffers.set(table, buffer);
      }
      for (let i = 0; i < buffer.columns.length; i++) {
        buffer.values[i]!.push(row[buffer.columns[i]!]);
      }
      buffer.count += 1;
      sink.rows += 1;
    },
    async drain() {
      if (!open) {
        await client.query('begin');
        open = true;
      }
      for (const [table, buffer] of buffers) if (buffer.count >= PG_BATCH) await write(table);
    },
    async flush() {
      if (!open) {
        await client.query('begin');
        open = true;
      }
      for (const table of buffers.keys()) await write(table);
      await client.query('commit');
      open = false;
    },
    async exec(statement, params = []) {
      await sink.flush();
      await client.query(statement, params);
    },
    async close() {
      await sink.flush();
      await client.end();
    },
  };
  return sink;
}
