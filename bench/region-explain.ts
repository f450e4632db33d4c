import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { getParticipation } from '../src/modules/analytics/analytics.service.js';
import { getMyWallet, getMyWalletHistory } from '../src/modules/identity/identity.service.js';
import { listRequests } from '../src/modules/reports/open311.service.js';
import { nearbyTasks } from '../src/modules/tasks/tasks.service.js';
import { getLiability } from '../src/modules/vouchers/liability.service.js';
import { getStatement } from '../src/modules/vouchers/settlement.service.js';
import { fixedClock } from '../src/shared/clock.js';
import { type Actor, createContext } from '../src/shared/context.js';
import { openStorage } from '../src/storage/database.js';
import { percentile, round } from './geo-nearby.js';
import { NOW } from './region-generate.js';

/**
 * A diagnosis aid for the region benchmark (not a bench): on a database the bench kept
 * (`REGION_KEEP=1`: a SQLite file or a PostgreSQL URL), first times the staff dashboard's two
 * reads for every municipality (DASHBOARD_RUNS each: p50 and max per municipality, to see which
 * samples make the bench's p99), then, on the municipality with the most vouchers, runs each
 * interactive read a few times with every statement timed and prints the slowest statements
 * with their plan (SQLite: EXPLAIN QUERY PLAN; PostgreSQL: EXPLAIN (ANALYZE, BUFFERS) with the
 * statement's own parameters).
 * `node --import tsx bench/region-explain.ts /tmp/civicpoints-bench-…/bench.db`
 * `node --import tsx bench/region-explain.ts postgres://postgres@127.0.0.1:5432/civicpoints_bench_…`
 */

const target = process.argv[2];
if (!target) throw new Error('give the kept SQLite file or PostgreSQL URL');
const onPostgres = target.startsWith('postgres://') || target.startsWith('postgresql://');
const DASHBOARD_RUNS = Number(process.env.DASHBOARD_RUNS ?? 20);

type Timing = { ms: number; calls: number; values: unknown[] };
const timings = new Map<string, Timing>();
let timing = false;
const record = (source: string, values: unknown[], started: number) => {
  if (!timing) return;
  const entry = timings.get(source) ?? { ms: 0, calls: 0, values };
  entry.ms += performance.now() - started;
  entry.calls += 1;
  timings.set(source, entry);
};

if (onPostgres) {
  // Kysely's pool clients answer `query(text, values)` with a promise: time it to its end.
  const originalQuery = pg.Client.prototype.query as (...a: unknown[]) => unknown;
  pg.Client.prototype.query = function query(this: pg.Client, ...args: unknown[]) {
    const result = originalQuery.apply(this, args);
    if (typeof args[0] !== 'string' || !(result instanceof Promise)) return result;
    const started = performance.now();
    const values = (args[1] as unknown[] | undefined) ?? [];
    return result.finally(() => record(args[0] as string, values, started));
  } as typeof pg.Client.prototype.query;
} else {
  const originalPrepare = SqliteDatabase.prototype.prepare;
  SqliteDatabase.prototype.prepare = function prepare(
    this: SqliteDatabase.Database,
    source: string,
  ) {
    const statement = originalPrepare.call(this, source);
    for (const method of ['all', 'get', 'run'] as const) {
      const original = statement[method].bind(statement) as (...a: unknown[]) => unknown;
      (statement as unknown as Record<string, unknown>)[method] = (...values: unknown[]) => {
        const started = performance.now();
        try {
          return original(...values);
        } finally {
          record(source, values, started);
        }
      };
    }
    return statement;
  } as typeof SqliteDatabase.prototype.prepare;
}

/** A plain connection for the setup reads and the plans, outside the timed pool. */
interface Raw {
  all<T>(text: string, values?: unknown[]): Promise<T[]>;
  plan(text: string, values: unknown[]): Promise<string[]>;
  close(): Promise<void>;
}

async function openRaw(): Promise<Raw> {
  if (onPostgres) {
    const client = new pg.Client({ connectionString: target });
    await client.connect();
    return {
      all: async (text, values = []) => (await client.query(text, values)).rows,
      plan: async (text, values) =>
        (await client.query(`explain (analyze, buffers) ${text}`, values)).rows.map(
          (row: { 'QUERY PLAN': string }) => row['QUERY PLAN'],
        ),
      close: () => client.end(),
    };
  }
  const db = new SqliteDatabase(target!, { readonly: true });
  const positional = (text: string) => text.replace(/\$\d+/g, '?');
  return {
    all: async <T>(text: string, values: unknown[] = []) =>
      db.prepare(positional(text)).all(...values) as T[],
    plan: async (text) =>
      (
        db
          .prepare(`explain query plan ${text}`)
          .all(...new Array((text.match(/\?/g) ?? []).length).fill(null)) as {
          detail: string;
        }[]
      ).map((row) => row.detail),
    close: async () => {
      db.close();
    },
  };
}

const storage = openStorage(
  onPostgres
    ? { dialect: 'postgres', url: target, poolSize: 10 }
    : { dialect: 'sqlite', file: target },
);
const raw = await openRaw();
const municipalities = await raw.all<{ id: string; slug: string; vouchers: number }>(
  `select m.id, m.slug, (select count(*) from vouchers v where v.municipality_id = m.id) as vouchers
   from municipalities m order by m.id`,
);
const staffOf = (municipalityId: string) =>
  as({
    kind: 'staff',
    userId: 'usr_bench',
    municipalityId,
    roles: ['admin', 'finance'],
    sessionId: 'ses_bench',
  });
const as = (actor: Actor) => createContext(storage, { actor, clock: fixedClock(NOW) });

// The dashboard (participation then liability), per municipality, as the bench times it.
console.log(`## dashboard per municipality (${DASHBOARD_RUNS} runs each, ms)`);
for (const m of municipalities) {
  const parts = {
    participation: [] as number[],
    liability: [] as number[],
    dashboard: [] as number[],
  };
  await getParticipation(staffOf(m.id), m.id);
  await getLiability(staffOf(m.id), m.id);
  for (let i = 0; i < DASHBOARD_RUNS; i++) {
    const started = performance.now();
    await getParticipation(staffOf(m.id), m.id);
    const between = performance.now();
    await getLiability(staffOf(m.id), m.id);
    const ended = performance.now();
    parts.participation.push(between - started);
    parts.liability.push(ended - between);
    parts.dashboard.push(ended - started);
  }
  const figures = Object.entries(parts).map(([name, samples]) => {
    samples.sort((a, b) => a - b);
    return `${name} ${round(percentile(samples, 50))} / ${round(samples[samples.length - 1]!)}`;
  });
  console.log(`- ${m.slug} (${m.vouchers} vouchers): ${figures.join(', ')} (p50 / max)`);
}

const municipality = [...municipalities].sort(
  (a, b) => Number(b.vouchers) - Number(a.vouchers),
)[0]!;
const [heavy] = await raw.all<{ id: string }>(
  `select a.owner_id as id from ledger_accounts a where a.municipality_id = $1 and a.kind = 'wallet' order by a.credits_posted desc limit 1`,
  [municipality.id],
);
const [statement] = await raw.all<{ id: string }>(
  'select id from settlement_statements where municipality_id = $1 order by lines desc limit 1',
  [municipality.id],
);
const [place] = await raw.all<{ latitude: number; longitude: number }>(
  `select latitude, longitude from tasks where municipality_id = $1 and status = 'open' limit 1`,
  [municipality.id],
);
const staff = staffOf(municipality.id);
const resident = as({
  kind: 'resident',
  residentId: heavy!.id,
  municipalityId: municipality.id,
  sessionId: 'ses_bench',
});
const cases: [string, () => Promise<unknown>][] = [
  [
    'wallet (heaviest earner)',
    async () => [await getMyWallet(resident), await getMyWalletHistory(resident, { limit: 50 })],
  ],
  ['participation', () => getParticipation(staff, municipality.id)],
  ['liability', () => getLiability(staff, municipality.id)],
  ['settlement_statement (largest)', () => getStatement(staff, municipality.id, statement!.id)],
  [
    'open311_requests',
    () =>
      listRequests(
        as({ kind: 'public' }),
        { jurisdiction_id: [municipality.slug] },
        { publicUrl: 'http://127.0.0.1:3000', acceptLanguage: undefined },
      ),
  ],
  ['nearby_tasks', () => nearbyTasks(as({ kind: 'public' }), { ...place!, radiusMeters: 2000 })],
];
console.log(`\n# statements, on ${municipality.slug} (${municipality.vouchers} vouchers)`);
for (const [name, run] of cases) {
  await run();
  timings.clear();
  timing = true;
  const started = performance.now();
  for (let i = 0; i < 3; i++) await run();
  timing = false;
  const total = (performance.now() - started) / 3;
  console.log(`\n## ${name}: ${total.toFixed(1)} ms a call`);
  const top = [...timings].sort((a, b) => b[1].ms - a[1].ms).slice(0, 4);
  for (const [source, t] of top) {
    console.log(`- ${(t.ms / 3).toFixed(1)} ms in ${t.calls / 3} call(s): ${source.slice(0, 300)}`);
    try {
      for (const line of await raw.plan(source, t.values)) console.log(`    ${line}`);
    } catch (error) {
      console.log(`    (no plan: ${(error as Error).message})`);
    }
  }
}
await storage.close();
await raw.close();
