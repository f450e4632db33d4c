import { readFile } from 'node:fs/promises';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { BELGIAN_MUNICIPALITIES_FILE } from '../src/demo/belgian-municipalities.js';
import {
  boundaryBox,
  insideBoundary,
  type RoutedBoundary,
  RoutingIndex,
} from '../src/modules/tenancy/routing.rules.js';
import { municipalityAt, routingIndex } from '../src/modules/tenancy/routing.service.js';
import { createMunicipality, importBoundaries } from '../src/modules/tenancy/tenancy.service.js';
import type { BoundaryGeometry } from '../src/modules/tenancy/tenancy.types.js';
import { createContext } from '../src/shared/context.js';
import { type BenchResult, mulberry32, rssMb, sqliteDatabase } from './support.js';

/**
 * Routing a point to its municipality among all 581 Belgian municipalities (assets/, up to
 * 1,059 vertices each): the grid index against the brute-force scan it replaced (insideBoundary
 * over every boundary until one holds the point), on the same random points of Belgium's box,
 * in the same run. Case `route` is the index itself (backend none); `route_service` is
 * municipalityAt on SQLite with the index cached, as a report or a task calls it. Target:
 * ≥ 50,000 points/s.
 */

const POINTS = Number(process.env.BENCH_ROUTE_POINTS ?? 1_000_000);
const BASELINE_POINTS = Number(process.env.BENCH_ROUTE_BASELINE_POINTS ?? 2_000);
const SERVICE_POINTS = Number(process.env.BENCH_ROUTE_SERVICE_POINTS ?? 200_000);

interface Feature {
  properties: { nis: string; name_nl: string; name_fr: string };
  geometry: BoundaryGeometry;
}

function pointsIn(box: [number, number, number, number], count: number, seed: number) {
  const next = mulberry32(seed);
  const longitudes = new Float64Array(count);
  const latitudes = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    longitudes[i] = box[0] + next() * (box[2] - box[0]);
    latitudes[i] = box[1] + next() * (box[3] - box[1]);
  }
  return { longitudes, latitudes };
}

/** Points routed per second by `route` over the points (at least half a second of work). */
function perSecond(
  points: { longitudes: Float64Array; latitudes: Float64Array },
  route: (lon: number, lat: number) => unknown,
): { perS: number; share: number } {
  // Warm up (the JIT compiles the loop and the route) on up to 10,000 points, not timed.
  for (let i = 0; i < Math.min(10_000, points.longitudes.length); i++) {
    route(points.longitudes[i]!, points.latitudes[i]!);
  }
  let found = 0;
  let done = 0;
  const started = performance.now();
  do {
    for (let i = 0; i < points.longitudes.length; i++) {
      if (route(points.longitudes[i]!, points.latitudes[i]!) !== undefined) found++;
    }
    done += points.longitudes.length;
  } while (performance.now() - started < 500);
  const perS = Math.round((done / (performance.now() - started)) * 1000);
  return { perS, share: Math.round((found / done) * 1000) / 1000 };
}

/** The 581 Belgian municipalities (assets/) as routed boundaries, and Belgium's box around them. */
export async function belgianBoundaries() {
  const collection = JSON.parse(await readFile(BELGIAN_MUNICIPALITIES_FILE, 'utf8')) as {
    features: Feature[];
  };
  const boundaries: RoutedBoundary[] = collection.features.map((f) => ({
    id: f.properties.nis,
    slug: f.properties.nis,
    boundary: f.geometry,
  }));
  const boxes = boundaries.map((b) => boundaryBox(b.boundary));
  const belgium: [number, number, number, number] = [
    Math.min(...boxes.map((b) => b[0])),
    Math.min(...boxes.map((b) => b[1])),
    Math.max(...boxes.map((b) => b[2])),
    Math.max(...boxes.map((b) => b[3])),
  ];
  return { collection, boundaries, belgium };
}

export async function run(): Promise<BenchResult[]> {
  const { collection, boundaries, belgium } = await belgianBoundaries();

  const buildStarted = performance.now();
  const index = new RoutingIndex(boundaries);
  const buildMs = performance.now() - buildStarted;

  const points = pointsIn(belgium, POINTS, 7);
  const scanPoints = pointsIn(belgium, BASELINE_POINTS, 7);
  const scan = (lon: number, lat: number) =>
    boundaries.find((b) => insideBoundary(lon, lat, b.boundary));
  // Same answers on the points both route (the property tests check this at length).
  for (let i = 0; i < scanPoints.longitudes.length; i++) {
    const [lon, lat] = [scanPoints.longitudes[i]!, scanPoints.latitudes[i]!];
    if (index.find(lon, lat)?.id !== scan(lon, lat)?.id) {
      throw new Error(`the index and the scan disagree at ${lon},${lat}`);
    }
  }
  const indexed = perSecond(points, (lon, lat) => index.find(lon, lat));
  const scanned = perSecond(scanPoints, scan);
  // The harder half: points that do lie in a municipality (no quick "outside the grid").
  const inside = { longitudes: [] as number[], latitudes: [] as number[] };
  for (let i = 0; i < points.longitudes.length; i++) {
    if (index.find(points.longitudes[i]!, points.latitudes[i]!)) {
      inside.longitudes.push(points.longitudes[i]!);
      inside.latitudes.push(points.latitudes[i]!);
    }
  }
  const indexedInside = perSecond(
    {
      longitudes: Float64Array.from(inside.longitudes),
      latitudes: Float64Array.from(inside.latitudes),
    },
    (lon, lat) => index.find(lon, lat),
  );
  const layout = index.stats();
  const results: BenchResult[] = [
    {
      bench: 'geo',
      backend: 'none',
      case: 'route',
      municipalities: boundaries.length,
      points: POINTS,
      per_s: indexed.perS,
      inside_share: indexed.share,
      inside_per_s: indexedInside.perS,
      build_ms: Math.round(buildMs),
      grid_cells: layout.columns * layout.rows,
      grid_entries: layout.entries,
      tested_whole: layout.testedWhole,
      rss_mb: rssMb(),
      baseline: 'brute-force scan (insideBoundary over every boundary)',
      baseline_per_s: scanned.perS,
      ratio: Math.round((indexed.perS / scanned.perS) * 10) / 10,
    },
  ];

  // Through the service, on a database of the 581 municipalities.
  const database = sqliteDatabase();
  const app = await buildApp({ ...loadConfig({ LOG_LEVEL: 'silent' }), database: database.config });
  try {
    const ctx = createContext(app.deps.storage, { actor: { kind: 'operator_cli' } });
    for (const feature of collection.features) {
      const name = feature.properties.name_nl;
      await createMunicipality(ctx, {
        slug: `nis-${feature.properties.nis}`,
        nisCode: feature.properties.nis,
        names: { nl: name, fr: feature.properties.name_fr, de: name, en: name },
        defaultLocale: 'nl',
        registeredHouseholds: 0,
        pointValueCents: 1,
      });
    }
    await importBoundaries(ctx, collection);
    const loadStarted = performance.now();
    await routingIndex(ctx);
    const loadMs = performance.now() - loadStarted;
    const servicePoints = pointsIn(belgium, SERVICE_POINTS, 11);
    let found = 0;
    const started = performance.now();
    for (let i = 0; i < SERVICE_POINTS; i++) {
      try {
        await municipalityAt(ctx, servicePoints.latitudes[i]!, servicePoints.longitudes[i]!);
        found++;
      } catch {
        // outside_region: part of the work (the sea, the neighbouring countries).
      }
    }
    const perS = Math.round((SERVICE_POINTS / (performance.now() - started)) * 1000);
    results.push({
      bench: 'geo',
      backend: 'sqlite',
      case: 'route_service',
      municipalities: boundaries.length,
      points: SERVICE_POINTS,
      per_s: perS,
      inside_share: Math.round((found / SERVICE_POINTS) * 1000) / 1000,
      load_ms: Math.round(loadMs),
      rss_mb: rssMb(),
    });
  } finally {
    await app.close();
    await database.drop();
  }
  return results;
}
