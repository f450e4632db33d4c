import { sql } from 'kysely';
import * as repo from '../src/modules/tasks/tasks.repository.js';
import { placeOf } from '../src/modules/tasks/tasks.rules.js';
import { nearbyTasks } from '../src/modules/tasks/tasks.service.js';
import { createMunicipality } from '../src/modules/tenancy/tenancy.service.js';
import { fixedClock } from '../src/shared/clock.js';
import { createContext } from '../src/shared/context.js';
import { nearestWithin } from '../src/shared/geo-grid.js';
import { openStorage, type Storage } from '../src/storage/database.js';
import { migrateToLatest } from '../src/storage/migrate.js';
import type { TasksTable } from '../src/storage/schema.js';
import {
  type BenchDatabase,
  type BenchResult,
  mulberry32,
  postgresDatabase,
  rssMb,
  sqliteDatabase,
} from './support.js';

/**
 * "Open tasks near here" (GET /api/tasks/nearby's service, `nearbyTasks`): BENCH_TASKS (default
 * 50,000) open tasks spread uniformly over a 200 × 100 km region of Flanders, then the 50 nearest
 * within 2 km of random points in the region, read through the grid index (the covering cells'
 * key ranges on the indexed `(status, cell)` columns). Baseline in the same run: a full scan —
 * every open task read and its distance computed. Both answer the same tasks in the same order
 * (checked on every baseline query). On SQLite and, when it answers, PostgreSQL.
 */

const TASKS = Number(process.env.BENCH_TASKS ?? 50_000);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 1_000);
const BASELINE_QUERIES = Number(process.env.BENCH_BASELINE_QUERIES ?? 40);
export const RADIUS = 2_000;
export const LIMIT = 50;
const REGION = { south: 50.7, north: 51.6, west: 3.0, east: 5.85 };
export const NOW = '2026-12-01T09:00:00.000Z';

export const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
export const round = (value: number) => Math.round(value * 1000) / 1000;

export const text = (value: string) => ({ nl: value, fr: value, de: value, en: value });

/** The texts every bench task shares (serialised once). */
export const TASK_TEXTS = JSON.stringify({
  title: text('Litter pick-up'),
  description: text('Pick up litter.'),
  safetyNotes: null,
  materials: null,
});

/** One open bench task at a point, as stored (the cell from the app's own placeOf). */
export function taskRow(
  i: number,
  municipalityId: string,
  latitude: number,
  longitude: number,
): TasksTable {
  const place = placeOf({ location: { latitude, longitude, radiusMeters: 100 } });
  return {
    id: `tsk_bench_${String(i).padStart(8, '0')}`,
    municipality_id: municipalityId,
    status: 'open',
    texts: TASK_TEXTS,
    latitude,
    longitude,
    radius_meters: 100,
    area: null,
    extent_meters: 100,
    cell: place.cell,
    bounty_points: 10 + (i % 90),
    slots: 5,
    slots_taken: 0,
    window_start: '2026-11-01T00:00:00.000Z',
    window_end: '2027-01-31T00:00:00.000Z',
    hold_hours: 48,
    estimated_minutes: 30,
    proof_before_photo: 0,
    proof_after_photo: 0,
    proof_location: 1,
    volunteer_suitable: 1,
    source_report_id: null,
    created_by: 'bench',
    created_at: NOW,
    updated_at: NOW,
    published_at: NOW,
  };
}

async function fill(storage: Storage, municipalityId: string) {
  const next = mulberry32(7);
  for (let start = 0; start < TASKS; start += 1_000) {
    const rows: TasksTable[] = [];
    for (let i = start; i < Math.min(TASKS, start + 1_000); i++) {
      const latitude = REGION.south + next() * (REGION.north - REGION.south);
      const longitude = REGION.west + next() * (REGION.east - REGION.west);
      rows.push(taskRow(i, municipalityId, latitude, longitude));
    }
    // 27 columns a row: 1,000 rows stay under PostgreSQL's 65,535 parameters.
    await storage.db.insertInto('tasks').values(rows).execute();
  }
  // Fresh statistics, as autovacuum (PostgreSQL) or `optimize` (SQLite) would give in service.
  await sql`analyze`.execute(storage.db);
}

async function measure(
  backend: 'sqlite' | 'postgres',
  database: BenchDatabase,
): Promise<BenchResult> {
  const storage = await openStorage(database.config);
  try {
    await migrateToLatest(storage.db);
    const ctx = createContext(storage, {
      clock: fixedClock(NOW),
      actor: { kind: 'operator_cli' },
    });
    const municipality = await createMunicipality(ctx, {
      slug: 'bench-region',
      nisCode: null,
      names: text('Bench'),
      defaultLocale: 'nl',
      registeredHouseholds: 1000,
      pointValueCents: 1,
    });
    await fill(storage, municipality.id);
    const next = mulberry32(11);
    const point = () => ({
      latitude: REGION.south + 0.05 + next() * (REGION.north - REGION.south - 0.1),
      longitude: REGION.west + 0.05 + next() * (REGION.east - REGION.west - 0.1),
    });
    // Warm up both paths (statement caches, pages).
    for (let i = 0; i < 20; i++) {
      await nearbyTasks(ctx, { ...point(), radiusMeters: RADIUS, limit: LIMIT });
    }
    const ours: number[] = [];
    let found = 0;
    for (let i = 0; i < QUERIES; i++) {
      const at = point();
      const started = performance.now();
      const items = await nearbyTasks(ctx, { ...at, radiusMeters: RADIUS, limit: LIMIT });
      ours.push(performance.now() - started);
      found += items.length;
    }
    const baseline: number[] = [];
    for (let i = 0; i < BASELINE_QUERIES; i++) {
      const at = point();
      const started = performance.now();
      const rows = await repo.openTasksIn(storage.db, null, { now: NOW }, 10_000_000);
      const nearest = nearestWithin(at, RADIUS, rows, LIMIT);
      baseline.push(performance.now() - started);
      const indexed = await nearbyTasks(ctx, { ...at, radiusMeters: RADIUS, limit: LIMIT });
      if (indexed.map((t) => t.id).join() !== nearest.map((t) => t.id).join()) {
        throw new Error(`the grid index and the full scan disagree near ${JSON.stringify(at)}`);
      }
    }
    ours.sort((a, b) => a - b);
    baseline.sort((a, b) => a - b);
    return {
      bench: 'geo-nearby',
      backend,
      case: 'nearby',
      tasks: TASKS,
      radius_m: RADIUS,
      limit: LIMIT,
      queries: QUERIES,
      mean_found: round(found / QUERIES),
      per_s: Math.round(1000 / (ours.reduce((a, b) => a + b, 0) / ours.length)),
      p50_ms: round(percentile(ours, 50)),
      p99_ms: round(percentile(ours, 99)),
      rss_mb: rssMb(),
      baseline: 'full scan of the open tasks',
      baseline_p50_ms: round(percentile(baseline, 50)),
      baseline_p99_ms: round(percentile(baseline, 99)),
      ratio: round(percentile(ours, 50) / percentile(baseline, 50)),
    };
  } finally {
    await storage.close();
    await database.drop();
  }
}

export async function run(): Promise<BenchResult[]> {
  const results = [await measure('sqlite', sqliteDatabase())];
  const postgres = await postgresDatabase();
  if (postgres) results.push(await measure('postgres', postgres));
  return results;
}
