import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, inject } from 'vitest';
import type { DatabaseConfig } from '../../src/config.js';
import { openStorage, type Storage } from '../../src/storage/database.js';
import type { DialectName } from '../../src/storage/dialect.js';

/**
 * Real databases for tests: a fresh SQLite file, or a fresh schema in this run's throw-away
 * PostgreSQL database (see global-setup.ts). Nothing is mocked.
 */

export interface Backend {
  name: DialectName;
  /** A configuration for a new, empty database of this kind. */
  freshDatabase(): Promise<DatabaseConfig>;
}

const tempDirs: string[] = [];
afterAll(() => {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

export const sqliteBackend: Backend = {
  name: 'sqlite',
  async freshDatabase() {
    const dir = mkdtempSync(path.join(tmpdir(), 'civicpoints-test-'));
    tempDirs.push(dir);
    return { dialect: 'sqlite', file: path.join(dir, 'test.db') };
  },
};

let schemaCounter = 0;
let workerDatabase: Promise<string> | undefined;

/**
 * This test worker's own database in the run (`<run database>_w<pool id>`, dropped with the run):
 * test files run in parallel workers, and Kysely's migrator introspects every schema of its
 * database, so one worker's schemas must never come and go under another's migrations.
 */
function workerDatabaseUrl(): Promise<string> {
  workerDatabase ??= (async () => {
    const base = inject('postgresUrl');
    if (!base) throw new Error('PostgreSQL is not available in this run');
    const url = new URL(base);
    const name = `${url.pathname.slice(1)}_w${process.env.VITEST_POOL_ID ?? '0'}`;
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    try {
      await admin.query(`create database ${name}`);
    } catch (error) {
      // An earlier file of this worker made it already.
      if ((error as { code?: string }).code !== '42P04') throw error;
    } finally {
      await admin.end();
    }
    url.pathname = `/${name}`;
    return url.toString();
  })();
  return workerDatabase;
}

export const postgresBackend: Backend = {
  name: 'postgres',
  async freshDatabase() {
    const base = await workerDatabaseUrl();
    const schema = `t_${process.pid}_${Date.now().toString(36)}_${schemaCounter++}`;
    const client = new pg.Client({ connectionString: base });
    await client.connect();
    await client.query(`create schema ${schema}`);
    await client.end();
    const url = new URL(base);
    url.searchParams.set('options', `-c search_path=${schema}`);
    return { dialect: 'postgres', url: url.toString(), poolSize: 5 };
  },
};

export const postgresAvailable = (): boolean => Boolean(inject('postgresUrl'));

/** Runs the same suite on SQLite and on PostgreSQL (skipped, with a line, when it is absent). */
export function describeEachBackend(title: string, suite: (backend: Backend) => void) {
  describe(`${title} [sqlite]`, () => suite(sqliteBackend));
  describe.skipIf(!postgresAvailable())(`${title} [postgres]`, () => suite(postgresBackend));
}

/** Opens a new, empty database of this backend. */
export async function openFreshStorage(backend: Backend): Promise<Storage> {
  return openStorage(await backend.freshDatabase());
}
