import { statSync } from 'node:fs';
import { sql } from 'kysely';
import * as reportsRepo from '../src/modules/reports/reports.repository.js';
import * as tasksRepo from '../src/modules/tasks/tasks.repository.js';
import { createMunicipality } from '../src/modules/tenancy/tenancy.service.js';
import { fixedClock } from '../src/shared/clock.js';
import { createContext } from '../src/shared/context.js';
import { boxAround, cellCount, cellOf, cellRanges, nearestWithin } from '../src/shared/geo-grid.js';
import { openStorage, type Storage } from '../src/storage/database.js';
import { migrateToLatest } from '../src/storage/migrate.js';
import type { ReportsTable, TasksTable } from '../src/storage/schema.js';
import { LIMIT, NOW, percentile, RADIUS, round, taskRow, text } from './geo-nearby.js';
import { belgianBoundaries, run as runRoute } from './geo-route.js';
import {
  type BenchDatabase,
  type BenchResult,
  mulberry32,
  postgresDatabase,
  rssMb,
  sqliteDatabase,
} from './support.js';

/**
 * Issue 7's benchmark (`npm run bench -- geo --json`). GEO_BENCH_ROWS (default 1,000,000) open
 * tasks and reports, half each, spread uniformly over Belgium's box (the 581 municipalities of
 * assets/), inserted in bulk through the migrated schema of a fresh SQLite file and a fresh
 * PostgreSQL database (case `generate`). Case `nearby`: "the 50 nearest open tasks and reports
 * within 2 km" of GEO_BENCH_QUERIES random points, as a map asks it: the ids and points in the
 * covering cells read from the grid indexes alone (tasks.openTaskPointsIn,
 * reports.openReportPointsIn, as nearbyTasks and nearbyReports do), both kinds merged, nearest
 * first (nearestWithin), then the rows of the 50 shown. Baseline in the same run, on
 * GEO_BENCH_BASELINE_QUERIES points: a brute-force scan (every open task and report read, its
 * distance computed, sorted), checked to give the same answer. Case `route`: geo-route's run.
 * Targets: nearby p99 ≤ 5 ms on both backends, route ≥ 50,000 points/s.
 */

const ROWS = Number(process.env.GEO_BENCH_ROWS ?? 1_000_000);
const QUERIES = Number(process.env.GEO_BENCH_QUERIES ?? 1_000);
const BASELINE_QUERIES = Number(process.env.GEO_BENCH_BASELINE_QUERIES ?? 5);
/** Rows a statement: 30 columns × 1,000 stays under PostgreSQL's 65,535 and SQLite's 32,766 parameters. */
const BATCH = 1_000;

type Point = { latitude: number; longitude: number };
type Candidate = Point & { id: string; kind: 'task' | 'report' };

function reportRow(
  i: number,
  municipalityId: string,
  categoryId: string,
  latitude: number,
  longitude: number,
): ReportsTable {
  return {
    id: `rpt_bench_${String(i).padStart(8, '0')}`,
    municipality_id: municipalityId,
    category_id: categoryId,
    latitude,
    longitude,
    cell: cellOf(latitude, longitude),
    address: null,
    address_id: null,
    description: 'A pothole in the cycle lane.',
    attributes: '{}',
    media_url: null,
    status: 'open',
    sub_status: 'submitted',
    reporter_kind: 'staff',
    resident_id: null,
    api_key_id: null,
    reporter_email: null,
    reporter_name: null,
    reporter_phone: null,
    reporter_locale: 'nl',
    show_name: 0,
    confirm_token_hash: null,
    confirm_expires_at: null,
    confirmed_at: null,
    assignee_id: null,
    hidden: 0,
    duplicate_of: null,
    claim_id: null,
    created_at: NOW,
    updated_at: NOW,
  };
}

/** Inserts ROWS open tasks and reports (even i: a task, odd i: a report) in batches; one transaction. */
export async function generate(storage: Storage, box: readonly number[]) {
  const ctx = createContext(storage, { clock: fixedClock(NOW), actor: { kind: 'operator_cli' } });
  const municipality = await createMunicipality(ctx, {
    slug: 'bench-belgium',
    nisCode: null,
    names: text('Bench'),
    defaultLocale: 'nl',
    registeredHouseholds: 1000,
    pointValueCents: 1,
  });
  const categoryId = 'cat_bench_pothole';
  await storage.db
    .insertInto('report_categories')
    .values({
      id: categoryId,
      municipality_id: municipality.id,
      code: 'pothole',
      names: JSON.stringify(text('Pothole')),
      descriptions: JSON.stringify(text('')),
      group_name: null,
      keywords: '[]',
      attributes: '[]',
      status: 'active',
      sort_order: 0,
      created_at: NOW,
      updated_at: NOW,
    })
    .execute();
  const [west, south, east, north] = box as [number, number, number, number];
  const next = mulberry32(7);
  await storage.db.transaction().execute(async (trx) => {
    for (let start = 0; start < ROWS; start += 2 * BATCH) {
      const tasks: TasksTable[] = [];
      const reports: ReportsTable[] = [];
      for (let i = start; i < Math.min(ROWS, start + 2 * BATCH); i++) {
        const latitude = south + next() * (north - south);
        const longitude = west + next() * (east - west);
        if (i % 2 === 0) tasks.push(taskRow(i, municipality.id, latitude, longitude));
        else reports.push(reportRow(i, municipality.id, categoryId, latitude, longitude));
      }
      if (tasks.length > 0) await trx.insertInto('tasks').values(tasks).execute();
      if (reports.length > 0) await trx.insertInto('reports').values(reports).execute();
    }
  });
  // Fresh statistics and visibility map, as autovacuum (PostgreSQL) or `optimize` (SQLite) would
  // give in service (PostgreSQL reads an index alone only for pages marked all-visible).
  await sql.raw(storage.dialect === 'postgres' ? 'vacuum analyze' : 'analyze').execute(storage.db);
}

/** Counters of what the indexed searches read. */
const reads = { cells: 0, candidates: 0 };

/**
 * "What is near here" on a map, as GET /api/tasks/nearby and GET /api/reports/nearby read it:
 * the ids and points of the open tasks and open reports in the covering cells (from the grid
 * indexes alone), both kinds merged, nearest first, then the rows of the 50 shown.
 */
async function nearbyBoth(storage: Storage, center: Point): Promise<Candidate[]> {
  const box = boxAround(center, RADIUS);
  const ranges = cellRanges(box);
  const [tasks, reports] = await Promise.all([
    tasksRepo.openTaskPointsIn(storage.db, ranges, { now: NOW }, 10_000),
    reportsRepo.openReportPointsIn(storage.db, { cells: ranges }, 5_000),
  ]);
  reads.cells += cellCount(box);
  reads.candidates += tasks.length + reports.length;
  const nearest = nearestWithin(
    center,
    RADIUS,
    [
      ...tasks.map((t) => ({ ...t, kind: 'task' as const })),
      ...reports.map((r) => ({ ...r, kind: 'report' as const })),
    ],
    LIMIT,
  );
  const ids = (kind: Candidate['kind']) => nearest.filter((c) => c.kind === kind).map((c) => c.id);
  const [taskRows, reportRows] = await Promise.all([
    tasksRepo.findTasksByIds(storage.db, ids('task')),
    reportsRepo.listReports(storage.db, { ids: ids('report'), includeHidden: true, limit: LIMIT }),
  ]);
  if (taskRows.length + reportRows.length !== nearest.length) throw new Error('rows missing');
  return nearest;
}

/** The baseline: every open task and report read, its distance computed, sorted. */
async function bruteForce(storage: Storage, center: Point): Promise<Candidate[]> {
  const [tasks, reports] = await Promise.all([
    storage.db
      .selectFrom('tasks')
      .select(['id', 'latitude', 'longitude'])
      .where('status', '=', 'open')
      .where('window_end', '>', NOW)
      .execute(),
    storage.db
      .selectFrom('reports')
      .select(['id', 'latitude', 'longitude'])
      .where('status', '=', 'open')
      .execute(),
  ]);
  return nearestWithin(
    center,
    RADIUS,
    [
      ...tasks.map((t) => ({ ...t, kind: 'task' as const })),
      ...reports.map((r) => ({ ...r, kind: 'report' as const })),
    ],
    LIMIT,
  );
}

async function databaseMb(storage: Storage, database: BenchDatabase): Promise<number> {
  if (database.config.dialect === 'sqlite') {
    await sql`pragma wal_checkpoint(truncate)`.execute(storage.db);
    return Math.round(statSync(database.config.file).size / 1024 / 1024);
  }
  const { rows } = await sql<{
    size: string;
  }>`select pg_database_size(current_database()) as size`.execute(storage.db);
  return Math.round(Number(rows[0]!.size) / 1024 / 1024);
}

async function measure(
  backend: 'sqlite' | 'postgres',
  database: BenchDatabase,
  box: readonly number[],
): Promise<BenchResult[]> {
  const storage = await openStorage(database.config);
  try {
    await migrateToLatest(storage.db);
    const generateStarted = performance.now();
    await generate(storage, box);
    const generateMs = performance.now() - generateStarted;
    const generated: BenchResult = {
      bench: 'geo',
      backend,
      case: 'generate',
      rows: ROWS,
      tasks: Math.ceil(ROWS / 2),
      reports: Math.floor(ROWS / 2),
      seconds: round(generateMs / 1000),
      per_s: Math.round((ROWS / generateMs) * 1000),
      db_mb: await databaseMb(storage, database),
    };
    process.stderr.write(`${JSON.stringify(generated)}\n`);

    const [west, south, east, north] = box as [number, number, number, number];
    const next = mulberry32(11);
    const point = () => ({
      latitude: south + 0.05 + next() * (north - south - 0.1),
      longitude: west + 0.05 + next() * (east - west - 0.1),
    });
    for (let i = 0; i < 50; i++) await nearbyBoth(storage, point()); // warm-up
    reads.cells = 0;
    reads.candidates = 0;
    const ours: number[] = [];
    let found = 0;
    for (let i = 0; i < QUERIES; i++) {
      const at = point();
      const started = performance.now();
      const near = await nearbyBoth(storage, at);
      ours.push(performance.now() - started);
      found += near.length;
    }
    const cellsPerQuery = reads.cells / QUERIES;
    const candidatesPerQuery = reads.candidates / QUERIES;
    const baseline: number[] = [];
    for (let i = 0; i < BASELINE_QUERIES; i++) {
      const at = point();
      const started = performance.now();
      const scanned = await bruteForce(storage, at);
      baseline.push(performance.now() - started);
      const indexed = await nearbyBoth(storage, at);
      if (indexed.map((c) => c.id).join() !== scanned.map((c) => c.id).join()) {
        throw new Error(`the grid index and the full scan disagree near ${JSON.stringify(at)}`);
      }
    }
    ours.sort((a, b) => a - b);
    baseline.sort((a, b) => a - b);
    return [
      generated,
      {
        bench: 'geo',
        backend,
        case: 'nearby',
        rows: ROWS,
        radius_m: RADIUS,
        limit: LIMIT,
        queries: QUERIES,
        mean_found: round(found / QUERIES),
        cells_per_query: round(cellsPerQuery),
        candidates_per_query: round(candidatesPerQuery),
        p50_ms: round(percentile(ours, 50)),
        p99_ms: round(percentile(ours, 99)),
        max_ms: round(ours[ours.length - 1]!),
        rss_mb: rssMb(),
        baseline: 'brute-force scan of every open task and report',
        baseline_queries: BASELINE_QUERIES,
        baseline_p50_ms: round(percentile(baseline, 50)),
        baseline_p99_ms: round(percentile(baseline, 99)),
        ratio: round(percentile(ours, 99) / percentile(baseline, 99)),
      },
    ];
  } finally {
    await storage.close();
    await database.drop();
  }
}

export async function run(): Promise<BenchResult[]> {
  const { belgium } = await belgianBoundaries();
  const results = await measure('sqlite', sqliteDatabase(), belgium);
  const postgres = await postgresDatabase();
  if (postgres) results.push(...(await measure('postgres', postgres, belgium)));
  results.push(...(await runRoute()));
  return results;
}
