import { execFile } from 'node:child_process';
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import type { DatabaseConfig } from '../config.js';
import { DomainError } from '../shared/errors.js';
import { migrations } from './migrations/index.js';

/**
 * Backups of the whole database, and restoring one.
 *
 * - SQLite: SQLite's online backup API copies the database while the app keeps writing (WAL):
 *   the copy is one consistent snapshot, written to a temporary file, checked with
 *   `PRAGMA integrity_check` and renamed into place. A backup is an ordinary SQLite file.
 * - PostgreSQL: `pg_dump --format=custom` of the app's schema (and of the job queue's schema when
 *   there is one), which pg_dump reads in one snapshot; restore replays it with `pg_restore` and
 *   `psql` in one transaction, so a failed restore leaves the database as it was.
 *
 * Restoring replaces the target database's data: it is refused when the target holds data unless
 * forced, and serving processes must be stopped first. Migrating the restored database and
 * verifying its ledger is the caller's part (the CLI), since storage knows no modules.
 */

const exec = promisify(execFile);

export type BackupKind = 'sqlite' | 'postgres';

export interface BackupOutcome {
  file: string;
  kind: BackupKind;
  bytes: number;
  /** PostgreSQL: the schemas in the backup. */
  schemas?: string[];
}

export interface RestoreOutcome {
  file: string;
  kind: BackupKind;
  /** The migrations the backup had already run, oldest first. */
  migrations: string[];
  /** True when the target held data that the restore replaced. */
  replaced: boolean;
  schemas?: string[];
}

export interface BackupOptions {
  /** Overwrite an existing backup file (backup) or replace a database that holds data (restore). */
  force?: boolean;
  /** PostgreSQL: a folder with pg_dump, pg_restore and psql, tried before PATH and /usr/lib/postgresql. */
  pgBinDir?: string;
}

/**
 * The schemas a deployment keeps in PostgreSQL, named from the app's schema: the app's tables,
 * and the job queue's (pg-boss). A new schema the app starts to use belongs in this list.
 */
export function appSchemasFor(schema: string): string[] {
  return [schema, `${schema}_jobs`];
}

const SQLITE_MAGIC = 'SQLite format 3\u0000';
const PGDUMP_MAGIC = 'PGDMP';

const fail = (
  code: string,
  kind: 'invalid' | 'conflict' | 'not_found' | 'unavailable',
  message: string,
) => new DomainError(code, kind, message);

/** Which kind of backup a file is by its first bytes; `not_a_backup` or `backup_not_found` otherwise. */
export function backupKindOf(file: string): BackupKind {
  if (!existsSync(file) || !statSync(file).isFile())
    throw fail('backup_not_found', 'not_found', `There is no backup file at ${file}.`);
  const head = Buffer.alloc(16);
  const fd = openSync(file, 'r');
  let read: number;
  try {
    read = readSync(fd, head, 0, 16, 0);
  } finally {
    closeSync(fd);
  }
  const text = head.subarray(0, read).toString('latin1');
  if (text === SQLITE_MAGIC) return 'sqlite';
  if (text.startsWith(PGDUMP_MAGIC)) return 'postgres';
  throw fail(
    'not_a_backup',
    'invalid',
    `${file} is not a CivicPoints backup (neither an SQLite database nor a pg_dump archive).`,
  );
}

/** Backs up the configured database to `file`; `backup_file_exists` unless forced. */
export async function backupDatabase(
  config: DatabaseConfig,
  file: string,
  options: BackupOptions = {},
): Promise<BackupOutcome> {
  const target = path.resolve(file);
  if (
    config.dialect === 'sqlite' &&
    [config.file, `${config.file}-wal`, `${config.file}-shm`].includes(target)
  )
    throw fail(
      'backup_is_database',
      'invalid',
      `${target} is the database itself; write the backup to another file.`,
    );
  if (existsSync(target) && !options.force)
    throw fail(
      'backup_file_exists',
      'conflict',
      `${target} exists; choose another name or add --force to overwrite it.`,
    );
  if (!existsSync(path.dirname(target)))
    throw fail(
      'backup_folder_not_found',
      'not_found',
      `The folder ${path.dirname(target)} does not exist.`,
    );
  return config.dialect === 'sqlite'
    ? backupSqlite(config.file, target)
    : backupPostgres(config.url, target, options);
}

/**
 * Restores `file` into the configured database, replacing what it holds. Checks the file before
 * touching anything: `not_a_backup`, `backup_corrupt`, `backup_wrong_database` (an SQLite backup
 * for PostgreSQL or the other way round), `backup_too_new` (made by a newer version), then
 * `restore_target_not_empty` unless forced.
 */
export async function restoreDatabase(
  config: DatabaseConfig,
  file: string,
  options: BackupOptions = {},
): Promise<RestoreOutcome> {
  const source = path.resolve(file);
  const kind = backupKindOf(source);
  if (kind !== config.dialect)
    throw fail(
      'backup_wrong_database',
      'invalid',
      `${source} is a ${kind === 'sqlite' ? 'SQLite' : 'PostgreSQL'} backup, but DATABASE_URL names a ${config.dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL'} database.`,
    );
  return config.dialect === 'sqlite'
    ? restoreSqlite(source, config.file, options)
    : restorePostgres(source, config.url, options);
}

function checkMigrations(names: string[]) {
  if (names.length === 0)
    throw fail('not_a_backup', 'invalid', 'The file holds no CivicPoints database.');
  const known = new Set(Object.keys(migrations));
  const unknown = names.filter((name) => !known.has(name));
  if (unknown.length > 0)
    throw fail(
      'backup_too_new',
      'invalid',
      `The backup was made by a newer version of CivicPoints (migration ${unknown[0]} is unknown here); upgrade first.`,
    );
}

function removeQuietly(file: string) {
  rmSync(file, { force: true });
}

function fsyncFile(file: string) {
  const fd = openSync(file, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function fsyncFolder(folder: string) {
  try {
    const fd = openSync(folder, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Some file systems cannot sync a folder; the rename itself is still atomic.
  }
}

// ---------------------------------------------------------------------------------- SQLite

const ALL_PAGES = 0x7fffffff;

function sqliteMigrations(db: SqliteDatabase.Database): string[] {
  const table = db
    .prepare(`select 1 from sqlite_master where type = 'table' and name = 'kysely_migration'`)
    .get();
  if (!table) return [];
  return (
    db.prepare('select name from kysely_migration order by name').all() as { name: string }[]
  ).map((row) => row.name);
}

function integrityProblem(db: SqliteDatabase.Database): string | null {
  const rows = db.prepare('pragma integrity_check').all() as { integrity_check: string }[];
  const messages = rows.map((row) => row.integrity_check);
  return messages.length === 1 && messages[0] === 'ok' ? null : messages.slice(0, 3).join('; ');
}

async function backupSqlite(databaseFile: string, target: string): Promise<BackupOutcome> {
  if (!existsSync(databaseFile))
    throw fail('database_not_found', 'not_found', `There is no database at ${databaseFile}.`);
  const partial = `${target}.partial-${process.pid}`;
  removeQuietly(partial);
  const source = new SqliteDatabase(databaseFile, { fileMustExist: true });
  try {
    source.pragma('busy_timeout = 5000');
    if (sqliteMigrations(source).length === 0)
      throw fail('database_empty', 'invalid', `${databaseFile} holds no CivicPoints data yet.`);
    // All pages in one step: the copy is read in one read transaction, a consistent snapshot that
    // WAL lets writers carry on beside. Smaller steps restart whenever another process writes.
    await source.backup(partial, { progress: () => ALL_PAGES });
  } catch (error) {
    removeQuietly(partial);
    throw error;
  } finally {
    source.close();
  }
  try {
    const copy = new SqliteDatabase(partial, { fileMustExist: true });
    try {
      // One self-contained file: no write-ahead log beside it.
      copy.pragma('journal_mode = DELETE');
      const problem = integrityProblem(copy);
      if (problem)
        throw fail(
          'backup_failed',
          'unavailable',
          `The copy failed its integrity check: ${problem}`,
        );
    } finally {
      copy.close();
    }
    fsyncFile(partial);
    renameSync(partial, target);
    fsyncFolder(path.dirname(target));
  } catch (error) {
    removeQuietly(partial);
    throw error;
  }
  return { file: target, kind: 'sqlite', bytes: statSync(target).size };
}

function openBackupSqlite(source: string): { db: SqliteDatabase.Database; names: string[] } {
  let db: SqliteDatabase.Database | undefined;
  try {
    db = new SqliteDatabase(source, { readonly: true, fileMustExist: true });
    const problem = integrityProblem(db);
    if (problem) throw fail('backup_corrupt', 'invalid', `The backup is damaged: ${problem}`);
    const names = sqliteMigrations(db);
    checkMigrations(names);
    return { db, names };
  } catch (error) {
    db?.close();
    if (error instanceof DomainError) throw error;
    throw fail(
      'backup_corrupt',
      'invalid',
      `The backup cannot be read: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

function sqliteHasData(file: string): boolean {
  if (!existsSync(file)) return false;
  const db = new SqliteDatabase(file, { fileMustExist: true });
  try {
    const row = db
      .prepare(
        `select count(*) as n from sqlite_master where type = 'table' and name not like 'sqlite_%'`,
      )
      .get() as { n: number };
    return row.n > 0;
  } finally {
    db.close();
  }
}

async function restoreSqlite(
  source: string,
  databaseFile: string,
  options: BackupOptions,
): Promise<RestoreOutcome> {
  const { db: backup, names } = openBackupSqlite(source);
  const partial = `${databaseFile}.restoring-${process.pid}`;
  let replaced = false;
  try {
    replaced = sqliteHasData(databaseFile);
    if (replaced && !options.force)
      throw fail(
        'restore_target_not_empty',
        'conflict',
        `${databaseFile} holds data. Stop every serving process, then add --force to replace it with the backup.`,
      );
    // As opening the database does: a new deployment's data folder may not exist yet.
    mkdirSync(path.dirname(databaseFile), { recursive: true });
    removeQuietly(partial);
    await backup.backup(partial, { progress: () => ALL_PAGES });
  } catch (error) {
    removeQuietly(partial);
    throw error;
  } finally {
    backup.close();
  }
  try {
    fsyncFile(partial);
    if (existsSync(databaseFile)) {
      // Fold the old write-ahead log into the old file and let it go: a log left beside the
      // new file would be replayed onto it.
      const old = new SqliteDatabase(databaseFile, { fileMustExist: true });
      try {
        old.pragma('busy_timeout = 5000');
        old.pragma('wal_checkpoint(TRUNCATE)');
      } finally {
        old.close();
      }
    }
    removeQuietly(`${databaseFile}-wal`);
    removeQuietly(`${databaseFile}-shm`);
    renameSync(partial, databaseFile);
    fsyncFolder(path.dirname(databaseFile));
  } catch (error) {
    removeQuietly(partial);
    throw error;
  }
  return { file: source, kind: 'sqlite', migrations: names, replaced };
}

// ------------------------------------------------------------------------------ PostgreSQL

interface PgTarget {
  schema: string;
  database: string;
  serverMajor: number;
  /** The app's schemas that exist in the target and hold at least one table. */
  schemasWithTables: string[];
  /** Other sessions connected to the same database. */
  otherSessions: number;
}

async function inspectPostgres(url: string): Promise<PgTarget> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (error) {
    throw fail(
      'database_unreachable',
      'unavailable',
      `Cannot connect to PostgreSQL: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  try {
    const info = await client.query<{
      schema: string | null;
      path: string;
      database: string;
      version: string;
    }>(
      `select current_schema() as schema, current_setting('search_path') as path,
              current_database() as database, current_setting('server_version_num') as version`,
    );
    const row = info.rows[0];
    // A schema named in search_path that does not exist yet (a new database to restore into)
    // is not current_schema(); it is still the one the app will use once it exists.
    if (row && !row.schema) row.schema = firstSearchPathSchema(row.path);
    if (!row?.schema)
      throw fail(
        'database_no_schema',
        'invalid',
        'The PostgreSQL connection has no current schema (check search_path in DATABASE_URL).',
      );
    const schemas = appSchemasFor(row.schema);
    const tables = await client.query<{ schema: string }>(
      `select distinct table_schema as schema from information_schema.tables
        where table_schema = any($1)`,
      [schemas],
    );
    const sessions = await client.query<{ n: string }>(
      `select count(*) as n from pg_stat_activity
        where datname = current_database() and pid <> pg_backend_pid() and backend_type = 'client backend'`,
    );
    return {
      schema: row.schema,
      database: row.database,
      serverMajor: Math.floor(Number(row.version) / 10000),
      schemasWithTables: schemas.filter((s) => tables.rows.some((t) => t.schema === s)),
      otherSessions: Number(sessions.rows[0]?.n ?? 0),
    };
  } finally {
    await client.end();
  }
}

function firstSearchPathSchema(searchPath: string): string | null {
  for (const entry of searchPath.split(',')) {
    const name = entry.trim();
    if (!name || name === '"$user"' || name === '$user') continue;
    return name.startsWith('"') ? name.slice(1, -1).replaceAll('""', '"') : name.toLowerCase();
  }
  return null;
}

/** libpq's URL parameters; node-postgres accepts a few more that libpq would refuse. */
const LIBPQ_PARAMS = new Set([
  'options',
  'sslmode',
  'sslcert',
  'sslkey',
  'sslrootcert',
  'sslcrl',
  'application_name',
  'connect_timeout',
  'target_session_attrs',
  'host',
  'port',
  'gssencmode',
  'channel_binding',
]);

/**
 * How the PostgreSQL tools connect: the URL without its password (which would show in the
 * process list) and the password in PGPASSWORD.
 */
function toolConnection(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const parsed = new URL(url);
  const password = decodeURIComponent(parsed.password);
  parsed.password = '';
  for (const key of [...parsed.searchParams.keys()]) {
    if (key === 'ssl' && !parsed.searchParams.has('sslmode')) {
      const value = parsed.searchParams.get('ssl');
      if (value === 'true' || value === '1') parsed.searchParams.set('sslmode', 'require');
    }
    if (!LIBPQ_PARAMS.has(key)) parsed.searchParams.delete(key);
  }
  // libpq reads %20 as a space but not the '+' that URLSearchParams writes.
  const query = [...parsed.searchParams]
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
    .join('&');
  parsed.search = query ? `?${query}` : '';
  const env: NodeJS.ProcessEnv = { ...process.env, PGCONNECT_TIMEOUT: '10' };
  if (password) env.PGPASSWORD = password;
  else delete env.PGPASSWORD;
  return { dbname: parsed.toString(), env };
}

interface PgTool {
  path: string;
  major: number;
}

const PG_TOOLS = ['pg_dump', 'pg_restore', 'psql'] as const;
type PgToolName = (typeof PG_TOOLS)[number];

function candidateFolders(pgBinDir: string | undefined): string[] {
  // A folder the operator names is the only one used: they chose those tools.
  if (pgBinDir) return [pgBinDir];
  const folders = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    for (const version of readdirSync(debian)) folders.push(path.join(debian, version, 'bin'));
  }
  return folders;
}

async function toolVersion(file: string): Promise<number | null> {
  try {
    const { stdout } = await exec(file, ['--version'], { timeout: 10_000 });
    const match = /\(PostgreSQL\)\s+(\d+)/.exec(stdout) ?? /\s(\d+)(?:\.\d+)?/.exec(stdout);
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/**
 * The newest pg_dump, pg_restore and psql found (in --pg-bin alone when given, else on PATH and
 * in /usr/lib/postgresql/N/bin); `pg_tools_missing` when one is absent, `pg_tools_too_old` when
 * the server is newer.
 */
async function findPgTools(
  serverMajor: number,
  pgBinDir: string | undefined,
  needed: readonly PgToolName[],
): Promise<Record<PgToolName, PgTool>> {
  const found: Partial<Record<PgToolName, PgTool>> = {};
  const folders = candidateFolders(pgBinDir);
  for (const name of needed) {
    const versions = await Promise.all(
      [...new Set(folders.map((folder) => path.join(folder, name)))]
        .filter((file) => existsSync(file))
        .map(async (file) => ({ path: file, major: await toolVersion(file) })),
    );
    const usable = versions.filter((v): v is PgTool => v.major !== null);
    const chosen = usable.sort((a, b) => b.major - a.major)[0];
    if (!chosen)
      throw fail(
        'pg_tools_missing',
        'unavailable',
        `${name} was not found (${pgBinDir ? `in ${pgBinDir}` : 'looked on PATH and in /usr/lib/postgresql/*/bin'}). Install the PostgreSQL client tools (Debian: apt-get install postgresql-client-${serverMajor}) or pass --pg-bin DIR.`,
      );
    if (chosen.major < serverMajor)
      throw fail(
        'pg_tools_too_old',
        'unavailable',
        `${chosen.path} is version ${chosen.major} but the server runs PostgreSQL ${serverMajor}; install the client tools ${serverMajor} or newer (Debian: postgresql-client-${serverMajor}) or pass --pg-bin DIR.`,
      );
    found[name] = chosen;
  }
  return found as Record<PgToolName, PgTool>;
}

async function runTool(
  tool: PgTool,
  args: string[],
  env: NodeJS.ProcessEnv,
  errorCode: string,
  what: string,
): Promise<string> {
  try {
    const { stdout } = await exec(tool.path, args, {
      env,
      maxBuffer: 64 * 1024 * 1024,
      timeout: 6 * 60 * 60 * 1000,
    });
    return stdout;
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? '').trim();
    const lines = stderr.split('\n').filter(Boolean).slice(-4).join(' | ');
    throw fail(
      errorCode,
      errorCode === 'backup_corrupt' ? 'invalid' : 'unavailable',
      `${what} failed: ${lines || (error instanceof Error ? error.message : String(error))}`,
    );
  }
}

/** A pg_dump pattern that matches exactly this schema name. */
const exactPattern = (schema: string) => `"${schema.replaceAll('"', '""')}"`;
const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

async function backupPostgres(
  url: string,
  target: string,
  options: BackupOptions,
): Promise<BackupOutcome> {
  const info = await inspectPostgres(url);
  if (!info.schemasWithTables.includes(info.schema))
    throw fail(
      'database_empty',
      'invalid',
      `The schema ${info.schema} of database ${info.database} holds no CivicPoints data yet.`,
    );
  const tools = await findPgTools(info.serverMajor, options.pgBinDir, ['pg_dump', 'pg_restore']);
  const { dbname, env } = toolConnection(url);
  const partial = `${target}.partial-${process.pid}`;
  removeQuietly(partial);
  try {
    // One pg_dump reads everything in one snapshot (a repeatable-read transaction).
    await runTool(
      tools.pg_dump,
      [
        '--format=custom',
        '--no-password',
        `--dbname=${dbname}`,
        `--file=${partial}`,
        ...info.schemasWithTables.map((schema) => `--schema=${exactPattern(schema)}`),
      ],
      env,
      'backup_failed',
      'pg_dump',
    );
    // The archive must read back before it replaces anything.
    await runTool(tools.pg_restore, ['--list', partial], env, 'backup_failed', 'pg_restore --list');
    renameSync(partial, target);
    fsyncFolder(path.dirname(target));
  } catch (error) {
    removeQuietly(partial);
    throw error;
  }
  return {
    file: target,
    kind: 'postgres',
    bytes: statSync(target).size,
    schemas: info.schemasWithTables,
  };
}

interface ArchiveToc {
  schemas: string[];
  appSchema: string;
  /** The table of contents with the SCHEMA entries commented out (restore creates them). */
  listWithoutSchemas: string;
}

function parseToc(list: string): ArchiveToc {
  const schemas: string[] = [];
  let appSchema: string | undefined;
  const lines = list.split('\n').map((line) => {
    const schema = /^\d+;\s+\d+\s+\d+\s+SCHEMA\s+-\s+(\S+)\s/.exec(line);
    if (schema?.[1]) {
      schemas.push(schema[1]);
      return `;${line}`;
    }
    const migrationTable = /^\d+;\s+\d+\s+\d+\s+TABLE\s+(\S+)\s+kysely_migration\s/.exec(line);
    if (migrationTable?.[1]) appSchema = migrationTable[1];
    return line;
  });
  if (!appSchema)
    throw fail('not_a_backup', 'invalid', 'The archive holds no CivicPoints database.');
  if (!schemas.includes(appSchema)) schemas.unshift(appSchema);
  return { schemas, appSchema, listWithoutSchemas: lines.join('\n') };
}

/** The migration names in the archive's kysely_migration table (COPY text, first column). */
function parseMigrationNames(sqlText: string): string[] {
  const names: string[] = [];
  let inCopy = false;
  for (const line of sqlText.split('\n')) {
    if (!inCopy) {
      if (/^COPY\s+\S*kysely_migration\s/.test(line)) inCopy = true;
      continue;
    }
    if (line === '\\.') break;
    const name = line.split('\t')[0];
    if (name) names.push(name);
  }
  return names;
}

async function restorePostgres(
  source: string,
  url: string,
  options: BackupOptions,
): Promise<RestoreOutcome> {
  const info = await inspectPostgres(url);
  const tools = await findPgTools(info.serverMajor, options.pgBinDir, ['pg_restore', 'psql']);
  const { dbname, env } = toolConnection(url);

  const toc = parseToc(
    await runTool(
      tools.pg_restore,
      ['--list', source],
      env,
      'backup_corrupt',
      'Reading the archive',
    ),
  );
  if (toc.appSchema !== info.schema)
    throw fail(
      'backup_schema_mismatch',
      'invalid',
      `The backup holds schema ${toc.appSchema} but DATABASE_URL uses schema ${info.schema}: restore into a database whose search_path is ${toc.appSchema} (add ?options=-c%20search_path%3D${toc.appSchema} to the URL).`,
    );
  const migrationNames = parseMigrationNames(
    await runTool(
      tools.pg_restore,
      ['--data-only', `--schema=${toc.appSchema}`, '--table=kysely_migration', '--file=-', source],
      env,
      'backup_corrupt',
      'Reading the archive',
    ),
  );
  checkMigrations(migrationNames);

  const replaced = info.schemasWithTables.length > 0;
  if (replaced && !options.force)
    throw fail(
      'restore_target_not_empty',
      'conflict',
      `Schema ${info.schema} of database ${info.database} holds data. Stop every serving process, then add --force to replace it with the backup.`,
    );
  if (info.otherSessions > 0 && !options.force)
    throw fail(
      'restore_target_in_use',
      'conflict',
      `${info.otherSessions} other session(s) are connected to database ${info.database}; stop the serving processes first (or add --force when they are not CivicPoints').`,
    );

  // A private folder (mode 0700): the SQL holds the whole database. TMPDIR chooses where.
  const work = mkdtempSync(path.join(tmpdir(), 'civicpoints-restore-'));
  const listFile = path.join(work, 'archive.list');
  const sqlFile = path.join(work, 'restore.sql');
  try {
    writeFileSync(listFile, toc.listWithoutSchemas);
    // The whole archive as SQL first, so a damaged archive fails here, before the database is touched.
    await runTool(
      tools.pg_restore,
      ['--no-owner', '--no-acl', `--use-list=${listFile}`, `--file=${sqlFile}`, source],
      env,
      'backup_corrupt',
      'Reading the archive',
    );
    const schemas = [...new Set([...appSchemasFor(info.schema), ...toc.schemas])];
    const prelude = [
      ...schemas.map((schema) => `drop schema if exists ${quoteIdent(schema)} cascade;`),
      ...toc.schemas.map((schema) => `create schema ${quoteIdent(schema)};`),
    ].join('\n');
    // One transaction: the old schemas go and the backup's arrive together, or nothing changes.
    await runTool(
      tools.psql,
      [
        '--no-psqlrc',
        '--quiet',
        '--no-password',
        '--single-transaction',
        '--set=ON_ERROR_STOP=1',
        `--dbname=${dbname}`,
        `--command=${prelude}`,
        `--file=${sqlFile}`,
      ],
      env,
      'restore_failed',
      'Restoring (nothing was changed)',
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return {
    file: source,
    kind: 'postgres',
    migrations: migrationNames,
    replaced,
    schemas: toc.schemas,
  };
}
