import type { BoundaryGeometry, Position } from './tenancy.types.js';

/**
 * Which municipality a point lies in: ray casting over each polygon's rings (the outer ring
 * counts in, holes count out), even–odd across a MultiPolygon's polygons. Pure. Positions are
 * GeoJSON's `[longitude, latitude]`.
 */

/** True when the point lies inside the ring (even–odd rule; points on an edge may go either way). */
export function insideRing(
  longitude: number,
  latitude: number,
  ring: readonly Position[],
): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (
      yi > latitude !== yj > latitude &&
      longitude < ((xj - xi) * (latitude - yi)) / (yj - yi) + xi
    ) {
      inside = !inside;
    }
  }
  return inside;
}

/** True when the point lies inside the geometry: in an outer ring and in none of its holes. */
export function insideBoundary(
  longitude: number,
  latitude: number,
  geometry: BoundaryGeometry,
): boolean {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  return polygons.some(
    ([outer, ...holes]) =>
      outer !== undefined &&
      insideRing(longitude, latitude, outer) &&
      !holes.some((hole) => insideRing(longitude, latitude, hole)),
  );
}
