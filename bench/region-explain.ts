import SqliteDatabase from 'better-sqlite3';
import { getParticipation } from '../src/modules/analytics/analytics.service.js';
import { getMyWallet, getMyWalletHistory } from '../src/modules/identity/identity.service.js';
import { listRequests } from '../src/modules/reports/open311.service.js';
import { nearbyTasks } from '../src/modules/tasks/tasks.service.js';
import { getLiability } from '../src/modules/vouchers/liability.service.js';
import { getStatement } from '../src/modules/vouchers/settlement.service.js';
import { fixedClock } from '../src/shared/clock.js';
import { type Actor, createContext } from '../src/shared/context.js';
import { openStorage } from '../src/storage/database.js';
import { NOW } from './region-generate.js';

/**
 * A diagnosis aid for the region benchmark (not a bench): on a SQLite file the bench kept
 * (`REGION_KEEP=1`), runs each interactive read a few times with every statement timed, then
 * prints the slowest statements with their EXPLAIN QUERY PLAN.
 * `node --import tsx bench/region-explain.ts /tmp/civicpoints-bench-…/bench.db`
 */

const file = process.argv[2];
if (!file) throw new Error('give the kept SQLite file');
const timings = new Map<string, { ms: number; calls: number }>();
const originalPrepare = SqliteDatabase.prototype.prepare;
SqliteDatabase.prototype.prepare = function prepare(this: SqliteDatabase.Database, source: string) {
  const statement = originalPrepare.call(this, source);
  for (const method of ['all', 'get', 'run'] as const) {
    const original = statement[method].bind(statement) as (...a: unknown[]) => unknown;
    (statement as unknown as Record<string, unknown>)[method] = (...values: unknown[]) => {
      const started = performance.now();
      try {
        return original(...values);
      } finally {
        const entry = timings.get(source) ?? { ms: 0, calls: 0 };
        entry.ms += performance.now() - started;
        entry.calls += 1;
        timings.set(source, entry);
      }
    };
  }
  return statement;
} as typeof SqliteDatabase.prototype.prepare;

const storage = openStorage({ dialect: 'sqlite', file });
const raw = new SqliteDatabase(file, { readonly: true });
const municipality = raw
  .prepare('select id, slug from municipalities order by id limit 1')
  .get() as { id: string; slug: string };
const heavy = raw
  .prepare(
    `select a.owner_id as id from ledger_accounts a where a.municipality_id = ? and a.kind = 'wallet' order by a.credits_posted desc limit 1`,
  )
  .get(municipality.id) as { id: string };
const statement = raw
  .prepare(
    'select id from settlement_statements where municipality_id = ? order by lines desc limit 1',
  )
  .get(municipality.id) as { id: string };
const place = raw
  .prepare(
    `select latitude, longitude from tasks where municipality_id = ? and status = 'open' limit 1`,
  )
  .get(municipality.id) as { latitude: number; longitude: number };
const as = (actor: Actor) => createContext(storage, { actor, clock: fixedClock(NOW) });
const staff = as({
  kind: 'staff',
  userId: 'usr_bench',
  municipalityId: municipality.id,
  roles: ['admin', 'finance'],
  sessionId: 'ses_bench',
});
const resident = as({
  kind: 'resident',
  residentId: heavy.id,
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
  ['settlement_statement (largest)', () => getStatement(staff, municipality.id, statement.id)],
  [
    'open311_requests',
    () =>
      listRequests(
        as({ kind: 'public' }),
        { jurisdiction_id: [municipality.slug] },
        { publicUrl: 'http://127.0.0.1:3000', acceptLanguage: undefined },
      ),
  ],
  ['nearby_tasks', () => nearbyTasks(as({ kind: 'public' }), { ...place, radiusMeters: 2000 })],
];
for (const [name, run] of cases) {
  await run();
  timings.clear();
  const started = performance.now();
  for (let i = 0; i < 3; i++) await run();
  const total = (performance.now() - started) / 3;
  console.log(`\n## ${name}: ${total.toFixed(1)} ms a call`);
  const top = [...timings].sort((a, b) => b[1].ms - a[1].ms).slice(0, 4);
  for (const [source, t] of top) {
    console.log(`- ${(t.ms / 3).toFixed(1)} ms in ${t.calls / 3} call(s): ${source.slice(0, 300)}`);
    try {
      const plan = raw
        .prepare(`explain query plan ${source}`)
        .all(...new Array((source.match(/\?/g) ?? []).length).fill(null)) as { detail: string }[];
      for (const row of plan) console.log(`    ${row.detail}`);
    } catch (error) {
      console.log(`    (no plan: ${(error as Error).message})`);
    }
  }
}
await storage.close();
raw.close();
