import { CompiledQuery, type Kysely, sql } from 'kysely';
import type PgBoss from 'pg-boss';
import type { Db, Storage } from '../storage/database.js';
import type { JobDefinition } from './jobs.types.js';

/**
 * pg-boss on PostgreSQL: where its tables live, installing them and the queues, and running its
 * SQL through Kysely (so a job is sent inside the caller's transaction).
 *
 * pg-boss keeps its tables in its own schema, named after the connection's current schema
 * (`public` → `public_jobs`; a test's `t_…` → `t_…_jobs`), so every database or test schema has
 * its own queues. Installing the schema and creating the queues happens once per process and
 * storage, under a session advisory lock, so processes starting together on a fresh database
 * do not race pg-boss's own creation.
 */

/** pg-boss, loaded when first needed (only PostgreSQL uses it; the CLI starts faster without). */
export async function loadPgBoss(): Promise<typeof PgBoss> {
  return (await import('pg-boss')).default;
}

/** The SQL executor pg-boss takes (`db` option): here Kysely's, on a handle or a transaction. */
export function kyselyExecutor(db: Pick<Kysely<unknown>, 'executeQuery'>): PgBoss.Db {
  return {
    executeSql: async (text: string, values?: unknown[]) => {
      const result = await db.executeQuery(CompiledQuery.raw(text, values ?? []));
      return { rows: result.rows as unknown[] as never[] };
    },
  };
}

const VALID_SCHEMA = /^[A-Za-z_][A-Za-z0-9_]{0,49}$/;

/** pg-boss's schema for this connection: `<current_schema>_jobs`. */
export async function pgBossSchemaOf(db: Db): Promise<string> {
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  const current = rows[0]?.schema;
  if (!current)
    throw new Error('the PostgreSQL connection has no current schema (check search_path)');
  const schema = `${current}_jobs`;
  if (!VALID_SCHEMA.test(schema)) {
    throw new Error(
      `pg-boss schema name "${schema}" is not a plain identifier of at most 50 characters`,
    );
  }
  return schema;
}

/** The queue settings pg-boss stores for a definition (used for every job sent to it). */
export function queueOptions(definition: JobDefinition): PgBoss.Queue {
  return {
    name: definition.name,
    policy: 'standard',
    retryLimit: definition.retryLimit,
    retryDelay: definition.retryDelaySeconds,
    retryBackoff: definition.retryBackoff,
    expireInSeconds: definition.expireInSeconds,
  };
}

interface Installed {
  schema: string;
  /** pg-boss without a pool of its own: sends through the `db` option, reads through Kysely. */
  boss: PgBoss;
  queues: Set<string>;
  /** Serializes installs in this process. */
  pending: Promise<unknown>;
}

const installed = new WeakMap<Storage, Promise<Installed>>();

/**
 * pg-boss for this storage with its schema installed (or migrated) and a queue for each of
 * the definitions, created or brought up to their retry settings. Cached per storage.
 */
export async function pgBossFor(
  storage: Storage,
  definitions: readonly JobDefinition[],
): Promise<Installed> {
  let entry = installed.get(storage);
  if (!entry) {
    entry = (async () => {
      const schema = await pgBossSchemaOf(storage.db);
      const PgBoss = await loadPgBoss();
      const boss = new PgBoss({
        db: kyselyExecutor(storage.db as Kysely<unknown>),
        schema,
        supervise: false,
        schedule: false,
        migrate: true,
      });
      boss.on('error', () => {});
      return { schema, boss, queues: new Set<string>(), pending: Promise.resolve() };
    })();
    installed.set(storage, entry);
    entry.catch(() => installed.delete(storage));
  }
  const state = await entry;
  const missing = definitions.filter((d) => !state.queues.has(d.name));
  if (missing.length > 0) {
    const run = state.pending.then(() => install(storage, state, missing));
    state.pending = run.catch(() => {});
    await run;
  }
  return state;
}

async function install(storage: Storage, state: Installed, definitions: readonly JobDefinition[]) {
  const todo = definitions.filter((d) => !state.queues.has(d.name));
  if (todo.length === 0) return;
  const lockKey = `civicpoints.jobs.install.${state.schema}`;
  const PgBoss = await loadPgBoss();
  await storage.db.connection().execute(async (connection) => {
    await sql`select pg_advisory_lock(hashtextextended(${lockKey}, 0))`.execute(connection);
    try {
      const boss = new PgBoss({
        db: kyselyExecutor(connection as Kysely<unknown>),
        schema: state.schema,
        supervise: false,
        schedule: false,
        migrate: true,
      });
      boss.on('error', () => {});
      // Creates or migrates pg-boss's schema; starts no timers (no supervision, no schedules).
      await boss.start();
      for (const definition of todo) {
        const options = queueOptions(definition);
        await boss.createQueue(definition.name, options);
        await boss.updateQueue(definition.name, options);
      }
    } catch (error) {
      // A failed statement inside pg-boss's own BEGIN … COMMIT leaves the transaction open.
      await sql`rollback`.execute(connection).catch(() => {});
      throw error;
    } finally {
      await sql`select pg_advisory_unlock(hashtextextended(${lockKey}, 0))`.execute(connection);
    }
  });
  for (const definition of todo) state.queues.add(definition.name);
}
