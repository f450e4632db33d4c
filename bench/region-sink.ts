import { sql } from 'kysely';
import pg from 'pg';
import type { DatabaseConfig } from '../src/config.js';
import type { Storage } from '../src/storage/database.js';
import type { Database } from '../src/storage/schema.js';

/**
 * Bulk rows straight into the migrated tables, for the region benchmark's generator. SQLite: one
 * prepared INSERT per table, run in large transactions on the raw better-sqlite3 handle.
 * PostgreSQL: a second connection that sends batches of rows with `COPY … FROM STDIN` in the
 * text format (a minimal copy-in on pg's protocol handlers; no extra package). While loading, the
 * secondary indexes of the loaded tables are dropped and built again at the end (from their own definitions, so the schema ends exactly as migrated), and
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
const PG_BATCH = 20_000;

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

/** COPY … FROM STDIN of one batch of text-format lines, as a pg "submittable". */
class CopyIn {
  readonly promise: Promise<void>;
  private settle!: { resolve: () => void; reject: (error: Error) => void };
  private error: Error | undefined;
  constructor(
    readonly text: string,
    private readonly data: string,
  ) {
    this.promise = new Promise((resolve, reject) => {
      this.settle = { resolve, reject };
    });
  }
  submit(connection: { query(text: string): void }) {
    connection.query(this.text);
  }
  handleCopyInResponse(connection: {
    sendCopyFromChunk(chunk: Buffer): void;
    endCopyFrom(): void;
  }) {
    const bytes = Buffer.from(this.data);
    for (let at = 0; at < bytes.length; at += 1 << 20) {
      connection.sendCopyFromChunk(bytes.subarray(at, at + (1 << 20)));
    }
    connection.endCopyFrom();
  }
  handleCommandComplete() {}
  handleError(error: Error) {
    this.error = error;
  }
  handleReadyForQuery() {
    if (this.error) this.settle.reject(this.error);
    else this.settle.resolve();
  }
}

/** A value in COPY's text format. */
function copyText(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'number') return String(value);
  const text = String(value);
  return /[\\\t\n\r]/.test(text)
    ? text.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r')
    : text;
}

async function postgresSink(config: DatabaseConfig): Promise<Sink> {
  if (config.dialect !== 'postgres') throw new Error('postgres only');
  const client = new pg.Client({ connectionString: config.url });
  await client.connect();
  await client.query('set synchronous_commit = off');
  // Foreign-key checks are triggers; a superuser's session can skip them for the load.
  await client.query('set session_replication_role = replica');
  const buffers = new Map<Table, { columns: string[]; lines: string[] }>();
  const write = async (table: Table) => {
    const buffer = buffers.get(table);
    if (!buffer || buffer.lines.length === 0) return;
    const copy = new CopyIn(
      `copy ${table} (${buffer.columns.join(', ')}) from stdin`,
      buffer.lines.join(''),
    );
    buffer.lines = [];
    client.query(copy as unknown as pg.QueryConfig);
    await copy.promise;
  };
  let open = false;
  const sink: Sink = {
    rows: 0,
    add(table, row) {
      let buffer = buffers.get(table);
      if (!buffer) {
        buffer = { columns: Object.keys(row), lines: [] };
        buffers.set(table, buffer);
      }
      let line = '';
      for (let i = 0; i < buffer.columns.length; i++) {
        if (i > 0) line += '\t';
        line += copyText(row[buffer.columns[i]!]);
      }
      buffer.lines.push(`${line}\n`);
      sink.rows += 1;
    },
    async drain() {
      if (!open) {
        await client.query('begin');
        open = true;
      }
      for (const [table, buffer] of buffers)
        if (buffer.lines.length >= PG_BATCH) await write(table);
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
