import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { DatabaseConfig } from '../config.js';
import type { DialectName } from './dialect.js';
import type { Database } from './schema.js';
import { QueuedSqliteDialect } from './sqlite-driver.js';

export type Db = Kysely<Database>;

/** An open database: the Kysely handle, which dialect it is, and how to check and close it. */
export interface Storage {
  db: Db;
  dialect: DialectName;
  /**
   * The raw better-sqlite3 handle on SQLite, for hot paths that run prepared statements
   * synchronously (the ledger). Use it only while holding Kysely's connection.
   */
  sqlite?: SqliteDatabase.Database;
  /** Resolves when the database answers a trivial query; rejects otherwise. */
  ping(): Promise<void>;
  /** PostgreSQL's connection pool right now (for metrics and load shedding); absent on SQLite. */
  poolStats?(): { total: number; idle: number; waiting: number };
  close(): Promise<void>;
}

/** Opens SQLite (creating the file and folder) or a PostgreSQL pool; does not migrate. */
export function openStorage(config: DatabaseConfig): Storage {
  return config.dialect === 'sqlite' ? openSqlite(config.file) : openPostgres(config);
}

function openSqlite(file: string): Storage {
  mkdirSync(path.dirname(file), { recursive: true });
  const connection = new SqliteDatabase(file);
  // WAL lets readers run beside the writer; FULL makes each commit durable before it is acknowledged.
  connection.pragma('journal_mode = WAL');
  connection.pragma('synchronous = FULL');
  connection.pragma('foreign_keys = ON');
  connection.pragma('busy_timeout = 5000');
  return storageOf(
    new Kysely<Database>({ dialect: new QueuedSqliteDialect(cachingStatements(connection)) }),
    'sqlite',
    connection,
  );
}

/** How many prepared statements the SQLite connection keeps; the app's queries fit many times over. */
const STATEMENT_CACHE_SIZE = 1000;

/**
 * The connection as Kysely's SQLite driver sees it, with its statements kept prepared: the driver
 * prepares every query anew, which cost more than running most of them. Safe because the driver
 * runs one query at a time on this connection (a statement is never in use twice at once).
 */
function cachingStatements(connection: SqliteDatabase.Database) {
  const statements = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => connection.close(),
    prepare: (source: string) => {
      let statement = statements.get(source);
      if (!statement) {
        if (statements.size >= STATEMENT_CACHE_SIZE) statements.clear();
        statement = connection.prepare(source);
        statements.set(source, statement);
      }
      return statement;
    },
  };
}

function storageOf(db: Db, dialect: DialectName, sqlite?: SqliteDatabase.Database): Storage {
  return {
    db,
    dialect,
    ...(sqlite && { sqlite }),
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
}

const PG_INT8 = 20;
const PG_NUMERIC = 1700;
const PG_TIMESTAMPTZ = 1184;
const PG_TIMESTAMP = 1114;
const PG_JSON = 114;
const PG_JSONB = 3802;

function parseSafeInteger(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new RangeError(`integer out of range: ${text}`);
  return value;
}

/** Makes PostgreSQL return the same JavaScript shapes as SQLite (numbers, ISO strings, JSON text). */
function getTypeParser(oid: number, format?: 'text' | 'binary'): (value: string) => unknown {
  switch (oid) {
    case PG_INT8:
      return parseSafeInteger;
    case PG_NUMERIC:
      return (text) => (/^-?\d+$/.test(text) ? parseSafeInteger(text) : Number(text));
    case PG_TIMESTAMPTZ:
    case PG_TIMESTAMP:
      return (text) => new Date(oid === PG_TIMESTAMP ? `${text}Z` : text).toISOString();
    case PG_JSON:
    case PG_JSONB:
      return (text) => text;
    default:
      return pg.types.getTypeParser(oid, format ?? 'text');
  }
}

function openPostgres(config: { url: string; poolSize: number }): Storage {
  const pool = new pg.Pool({
    connectionString: withDurableCommits(config.url),
    max: config.poolSize,
    types: { getTypeParser } as pg.CustomTypesConfig,
    connectionTimeoutMillis: 5000,
  });
  // A connection closed by the server while idle in the pool (a restart, a failover, an
  // administrator ending it) is reported here; pg drops it and the next query opens another. An
  // 'error' event without a listener would end the whole process instead.
  pool.on('error', () => {});
  return {
    ...storageOf(new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }), 'postgres'),
    poolStats: () => ({
      total: pool.totalCount,
      idle: pool.idleCount,
      waiting: pool.waitingCount,
    }),
  };
}

/**
 * Every commit waits for the write-ahead log to reach disk (the server default, made explicit so
 * a server configured otherwise cannot silently weaken the ledger). Options in the URL are kept.
 */
function withDurableCommits(url: string): string {
  const parsed = new URL(url);
  const options = parsed.searchParams.get('options');
  parsed.searchParams.set(
    'options',
    [options, '-c synchronous_commit=on'].filter(Boolean).join(' '),
  );
  return parsed.toString();
}
