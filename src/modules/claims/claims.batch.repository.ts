import type SqliteDatabase from 'better-sqlite3';
import { sql } from 'kysely';
import type { Db, Storage } from '../../storage/database.js';
import { dialectOf } from '../../storage/dialect.js';
import type { ClaimsTable } from '../../storage/schema.js';
import type { Usage } from './limits.types.js';

/**
 * SQL for claims placed many at a time (imports): bulk reads keyed by the batch's residents and
 * external keys, usage per limit window for many residents in one statement, and multi-row
 * inserts. Dialect-specific where one statement per batch needs it (json_each on SQLite, unnest
 * on PostgreSQL); the claims table is the same.
 */

/** One usage window to measure: the claims of `subject` (a resident or household) in [from, to). */
export interface UsageWindow {
  subject: string;
  /** ISO instants; null for a lifetime limit. */
  from: string | null;
  to: string | null;
}

const IN_CHUNK = 500;

/** The claims of the municipality with these external keys (keys absent are not imported yet). */
export async function findClaimsByExternalKeys(db: Db, municipalityId: string, keys: string[]) {
  const found = new Map<
    string,
    { id: string; resident_id: string; activity_id: string; quantity_milli: number }
  >();
  for (let start = 0; start < keys.length; start += IN_CHUNK) {
    const rows = await db
      .selectFrom('claims')
      .select(['id', 'external_key', 'resident_id', 'activity_id', 'quantity_milli'])
      .where('municipality_id', '=', municipalityId)
      .where('external_key', 'in', keys.slice(start, start + IN_CHUNK))
      .execute();
    for (const row of rows) found.set(row.external_key!, row);
  }
  return found;
}

/**
 * Approved and waiting usage of one activity in each window, by the window's index: what
 * claims.repository.usageOf answers for one window, for many at once.
 */
export async function usageInWindows(
  db: Db,
  activityId: string,
  column: 'resident_id' | 'household_id',
  windows: readonly UsageWindow[],
): Promise<Map<number, { approved: Usage; waiting: Usage }>> {
  const usage = new Map<number, { approved: Usage; waiting: Usage }>();
  if (windows.length === 0) return usage;
  const points = sql`sum(case when c.status = 'approved' then c.points else c.requested_points end)`;
  const rows =
    dialectOf(db) === 'postgres'
      ? await sql<{ i: number; status: string; count: number; points: number }>`
          select (w.i - 1)::int as i, c.status, count(*)::int as count, ${points} as points
          from unnest(
            ${windows.map((w) => w.subject)}::text[],
            ${windows.map((w) => w.from ?? '-infinity')}::timestamptz[],
            ${windows.map((w) => w.to ?? 'infinity')}::timestamptz[]
          ) with ordinality as w(subject, f, u, i)
          join claims c on c.${sql.raw(column)} = w.subject and c.activity_id = ${activityId}
            and c.occurred_at >= w.f and c.occurred_at < w.u
          where c.status in ('approved', 'submitted')
          group by w.i, c.status`.execute(db)
      : await sql<{ i: number; status: string; count: number; points: number }>`
          select cast(w.key as integer) as i, c.status as status, count(*) as count, ${points} as points
          from json_each(${JSON.stringify(
            windows.map((w) => [w.subject, w.from ?? '0000', w.to ?? '9999']),
          )}) as w
          join claims c on c.${sql.raw(column)} = w.value ->> 0 and c.activity_id = ${activityId}
            and c.occurred_at >= w.value ->> 1 and c.occurred_at < w.value ->> 2
          where c.status in ('approved', 'submitted')
          group by w.key, c.status`.execute(db);
  for (const row of rows.rows) {
    const index = Number(row.i);
    let entry = usage.get(index);
    if (!entry) {
      entry = { approved: { count: 0, points: 0 }, waiting: { count: 0, points: 0 } };
      usage.set(index, entry);
    }
    const into = row.status === 'approved' ? entry.approved : entry.waiting;
    into.count = Number(row.count);
    into.points = Number(row.points ?? 0);
  }
  return usage;
}

/** Points awarded to each of these residents since `from` (the yearly cap), by resident. */
export async function awardedSinceByResident(
  db: Db,
  residentIds: readonly string[],
  from: string,
): Promise<Map<string, number>> {
  const awarded = new Map<string, number>();
  for (let start = 0; start < residentIds.length; start += IN_CHUNK) {
    const rows = await db
      .selectFrom('claims')
      .select((eb) => ['resident_id', eb.fn.sum<number>('points').as('points')])
      .where('status', '=', 'approved')
      .where('resident_id', 'in', residentIds.slice(start, start + IN_CHUNK))
      .where('decided_at', '>=', from)
      .groupBy('resident_id')
      .execute();
    for (const row of rows) awarded.set(row.resident_id, Number(row.points ?? 0));
  }
  return awarded;
}

/** When each resident last claimed the activity (approved or waiting), for the cooldown. */
export async function lastClaimsAt(
  db: Db,
  activityId: string,
  residentIds: readonly string[],
): Promise<Map<string, string>> {
  const last = new Map<string, string>();
  for (let start = 0; start < residentIds.length; start += IN_CHUNK) {
    const rows = await db
      .selectFrom('claims')
      .select((eb) => ['resident_id', eb.fn.max('occurred_at').as('occurred_at')])
      .where('activity_id', '=', activityId)
      .where('status', 'in', ['approved', 'submitted'])
      .where('resident_id', 'in', residentIds.slice(start, start + IN_CHUNK))
      .groupBy('resident_id')
      .execute();
    for (const row of rows) {
      if (row.occurred_at) last.set(row.resident_id, new Date(row.occurred_at).toISOString());
    }
  }
  return last;
}

/**
 * Takes the earning locks of many keys in one statement, in the order given (the caller sorts
 * them as lockEarningKeys does, so batches and single claims never wait on each other in a
 * circle). PostgreSQL only; SQLite runs one write transaction at a time.
 */
export async function lockEarningKeysAtOnce(db: Db, sortedKeys: readonly string[]) {
  if (!db.isTransaction) throw new Error('lockEarningKeysAtOnce needs a transaction');
  if (dialectOf(db) !== 'postgres' || sortedKeys.length === 0) return;
  await sql`select count(pg_advisory_xact_lock(hashtextextended('earning:' || k, 0)))
    from unnest(${sortedKeys}::text[]) as k`.execute(db);
}

/** The claims columns in the order the bulk inserts bind them. */
const CLAIM_COLUMNS = [
  'id',
  'municipality_id',
  'activity_id',
  'activity_version_id',
  'resident_id',
  'household_id',
  'source',
  'partner_id',
  'method',
  'external_key',
  'quantity_milli',
  'requested_points',
  'points',
  'note',
  'latitude',
  'longitude',
  'site_location_id',
  'occurred_at',
  'submitted_at',
  'status',
  'risk',
  'flags',
  'decided_at',
  'decided_by_kind',
  'decided_by',
  'reject_reason',
  'decision_note',
  'appealed_at',
  'appeal_note',
  'transfer_id',
  'updated_at',
] as const satisfies readonly (keyof ClaimsTable)[];

const POSTGRES_TYPES: Record<(typeof CLAIM_COLUMNS)[number], string> = {
  id: 'text',
  municipality_id: 'text',
  activity_id: 'text',
  activity_version_id: 'text',
  resident_id: 'text',
  household_id: 'text',
  source: 'text',
  partner_id: 'text',
  method: 'text',
  external_key: 'text',
  quantity_milli: 'integer',
  requested_points: 'integer',
  points: 'integer',
  note: 'text',
  latitude: 'double precision',
  longitude: 'double precision',
  site_location_id: 'text',
  occurred_at: 'timestamptz',
  submitted_at: 'timestamptz',
  status: 'text',
  risk: 'text',
  flags: 'jsonb',
  decided_at: 'timestamptz',
  decided_by_kind: 'text',
  decided_by: 'text',
  reject_reason: 'text',
  decision_note: 'text',
  appealed_at: 'timestamptz',
  appeal_note: 'text',
  transfer_id: 'text',
  updated_at: 'timestamptz',
};

/** Rows per statement on SQLite: 64 × 31 parameters stays far below its limit of 32,766. */
const SQLITE_ROWS_PER_STATEMENT = 64;
const sqliteInserts = new WeakMap<SqliteDatabase.Database, Map<number, SqliteDatabase.Statement>>();

/**
 * Inserts many claims: on SQLite with prepared multi-row statements on the raw handle (the
 * caller's transaction holds Kysely's only connection), on PostgreSQL in one `insert … select
 * from unnest(…)` per call.
 */
export async function insertClaims(storage: Storage, db: Db, rows: readonly ClaimsTable[]) {
  if (rows.length === 0) return;
  if (storage.dialect === 'sqlite') {
    if (!db.isTransaction) throw new Error('insertClaims needs a transaction on SQLite');
    const connection = storage.sqlite!;
    for (let start = 0; start < rows.length; start += SQLITE_ROWS_PER_STATEMENT) {
      const chunk = rows.slice(start, start + SQLITE_ROWS_PER_STATEMENT);
      const values: unknown[] = [];
      for (const row of chunk) for (const column of CLAIM_COLUMNS) values.push(row[column]);
      sqliteInsert(connection, chunk.length).run(values);
    }
    return;
  }
  const columns = CLAIM_COLUMNS.map(
    (column) => sql`${rows.map((row) => row[column])}::${sql.raw(POSTGRES_TYPES[column])}[]`,
  );
  await sql`insert into claims (${sql.raw(CLAIM_COLUMNS.join(', '))})
    select * from unnest(${sql.join(columns)})`.execute(db);
}

function sqliteInsert(connection: SqliteDatabase.Database, rows: number) {
  let statements = sqliteInserts.get(connection);
  if (!statements) {
    statements = new Map();
    sqliteInserts.set(connection, statements);
  }
  let statement = statements.get(rows);
  if (!statement) {
    const tuple = `(${CLAIM_COLUMNS.map(() => '?').join(', ')})`;
    statement = connection.prepare(
      `insert into claims (${CLAIM_COLUMNS.join(', ')}) values ${Array.from({ length: rows }, () => tuple).join(', ')}`,
    );
    statements.set(rows, statement);
  }
  return statement;
}
