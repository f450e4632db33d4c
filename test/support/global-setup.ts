import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { transpileForChildProcesses } from './compiled-scripts.js';

/**
 * Creates one throw-away PostgreSQL database for this test run (dropped afterwards) and tells
 * the test files its URL. In CI a missing PostgreSQL fails the run; elsewhere the PostgreSQL
 * tests are skipped with one line saying so. Also transpiles the sources once for the child
 * processes the tests start (compiled-scripts.ts).
 */

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string | null;
  }
}

const ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export default async function setup(project: TestProject) {
  const compiled = await transpileForChildProcesses();
  project.provide('compiledRoot', compiled.root);
  const postgres = await setUpPostgres(project);
  return async () => {
    compiled.remove();
    await postgres?.();
  };
}

async function setUpPostgres(project: TestProject) {
  const admin = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (process.env.CI === 'true') {
      throw new Error(`PostgreSQL is required in CI but ${ADMIN_URL} does not answer: ${reason}`);
    }
    console.warn(`skipped: PostgreSQL tests (${ADMIN_URL} does not answer: ${reason})`);
    project.provide('postgresUrl', null);
    return;
  }
  const name = `civicpoints_test_${Date.now()}_${process.pid}`;
  await admin.query(`create database ${name}`);
  await admin.end();

  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  project.provide('postgresUrl', url.toString());

  return async () => {
    const cleanup = new pg.Client({ connectionString: ADMIN_URL });
    await cleanup.connect();
    // The run's database and each test worker's own (backends.ts).
    const { rows } = await cleanup.query<{ datname: string }>(
      'select datname from pg_database where datname = $1 or datname like $2',
      [name, `${name}\\_w%`],
    );
    for (const { datname } of rows) {
      await cleanup.query(`drop database if exists ${datname} with (force)`);
    }
    await cleanup.end();
  };
}
