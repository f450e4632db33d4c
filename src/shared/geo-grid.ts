import { type Coordinate, distanceMeters, MEAN_EARTH_RADIUS_METERS } from './geo.js';

/**
 * A fixed grid over the globe for "what is near here" on both databases without a spatial
 * extension: every stored point (a task, a report) keeps the integer key of its cell in an
 * indexed column, and a search reads the cells that cover the circle's bounding box, then keeps
 * the points truly within the radius, nearest first. Cells are 0.01° of latitude (≈ 1.1 km) by
 * 0.01° of longitude (≈ 0.7 km in Belgium). Keys are row-major — `row × 36,000 + column` — so
 * the cells of one row of a box are one range of keys. Pure.
 */

export const CELL_DEGREES = 0.01;
const COLUMNS = 36_000;
const ROWS = 18_000;

/** The cell key of a point (an integer below 2^31). */
export function cellOf(latitude: number, longitude: number): number {
  return rowOf(latitude) * COLUMNS + columnOf(longitude);
}

function rowOf(latitude: number): number {
  return Math.min(ROWS - 1, Math.max(0, Math.floor((latitude + 90) / CELL_DEGREES)));
}

function columnOf(longitude: number): number {
  return Math.min(COLUMNS - 1, Math.max(0, Math.floor((longitude + 180) / CELL_DEGREES)));
}

export interface BoundingBox {
  south: number;
  west: number;
  north: number;
  east: number;
}

/** The latitude/longitude box around a circle (clamped at the poles; not across the antimeridian). */
export function boxAround(center: Coordinate, radiusMeters: number): BoundingBox {
  const latitudeDelta = (radiusMeters / MEAN_EARTH_RADIUS_METERS) * (180 / Math.PI);
  const cos = Math.cos((center.latitude * Math.PI) / 180);
  const longitudeDelta = cos < 1e-9 ? 180 : Math.min(180, latitudeDelta / cos);
  return {
    south: Math.max(-90, center.latitude - latitudeDelta),
    north: Math.min(90, center.latitude + latitudeDelta),
    west: Math.max(-180, center.longitude - longitudeDelta),
    east: Math.min(180, center.longitude + longitudeDelta),
  };
}

/** The key ranges (inclusive, one per row of cells) that cover a box. */
export function cellRanges(box: BoundingBox): { from: number; to: number }[] {
  const ranges = [];
  const first = columnOf(box.west);
  const last = columnOf(box.east);
  for (let row = rowOf(box.south); row <= rowOf(box.north); row++) {
    ranges.push({ from: row * COLUMNS + first, to: row * COLUMNS + last });
  }
  return ranges;
}

/**
 * The cell keys of the ranges, one by one, when there are at most `max` of them (else undefined):
 * `cell in (…)` lets both databases read an index alone — PostgreSQL answers an OR of ranges by
 * a bitmap scan, which always reads the table.
 */
export function cellKeys(
  ranges: readonly { from: number; to: number }[],
  max = 256,
): number[] | undefined {
  let count = 0;
  for (const r of ranges) count += r.to - r.from + 1;
  if (count > max) return undefined;
  const keys: number[] = [];
  for (const r of ranges) for (let key = r.from; key <= r.to; key++) keys.push(key);
  return keys;
}

/** How many cells a box covers (to refuse or page searches over huge areas). */
export function cellCount(box: BoundingBox): number {
  return (rowOf(box.north) - rowOf(box.south) + 1) * (columnOf(box.east) - columnOf(box.west) + 1);
}

/**
 * Of the candidates (read from the covering cells), those within `radiusMeters` of the center,
 * nearest first (ties by id), at most `limit`, each with its distance.
 */
export function nearestWithin<T extends Coordinate & { id: string }>(
  center: Coordinate,
  radiusMeters: number,
  candidates: readonly T[],
  limit: number,
): (T & { distanceMeters: number })[] {
  return candidates
    .map((candidate) => ({ ...candidate, distanceMeters: distanceMeters(center, candidate) }))
    .filter((candidate) => candidate.distanceMeters <= radiusMeters)
    .sort((a, b) => a.distanceMeters - b.distanceMeters || a.id.localeCompare(b.id))
    .slice(0, limit);
}
