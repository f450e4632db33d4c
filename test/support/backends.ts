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

export const postgresBackend: Backend = {
  name: 'postgres',
  async freshDatabase() {
    const base = inject('postgresUrl');
    if (!base) throw new Error('PostgreSQL is not available in this run');
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
