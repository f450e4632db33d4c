import fc from 'fast-check';
import type { BoundaryGeometry, Position } from '../../src/modules/tenancy/tenancy.types.js';

/**
 * Random outlines for the geo property tests, simple by construction: a star polygon has its
 * vertices at increasing angles around its centre (gaps under 120°, so the centre sees every
 * edge) and radii within [0.2, 1] of its size, so each edge stays at least 0.1 × size from the
 * centre; a hole is a star of at most 0.08 × size around the same centre; an island in the hole
 * is smaller still.
 */

/** A closed star ring around (lon, lat): `units` in [0, 1) pick each vertex's angle jitter and radius. */
export function starRing(
  lon: number,
  lat: number,
  size: number,
  jitters: readonly number[],
  radii: readonly number[],
  scale: [number, number] = [0.2, 1],
): Position[] {
  const n = jitters.length;
  const ring: Position[] = jitters.map((jitter, i) => {
    const angle = ((i + jitter * 0.9) * 2 * Math.PI) / n;
    const radius = size * (scale[0] + (scale[1] - scale[0]) * radii[i]!);
    return [lon + radius * Math.cos(angle), lat + radius * Math.sin(angle)];
  });
  ring.push(ring[0]!);
  return ring;
}

const unitArrays = (min: number, max: number) =>
  fc
    .integer({ min, max })
    .chain((n) =>
      fc.tuple(
        fc.array(fc.double({ min: 0, max: 0.999, noNaN: true }), { minLength: n, maxLength: n }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: n, maxLength: n }),
      ),
    );

/** A star ring's shape: vertex count 6..40, angle jitters and radii. */
export const starShape = unitArrays(6, 40);

/** One polygon at (lon, lat): an outer star, maybe a hole, maybe an island inside the hole. */
export const polygonAt = (lon: number, lat: number, size: number) =>
  fc
    .record({
      outer: starShape,
      hole: fc.option(starShape, { nil: undefined }),
      island: fc.option(starShape, { nil: undefined }),
    })
    .map(({ outer, hole, island }) => {
      const rings = [starRing(lon, lat, size, ...outer)];
      if (hole) rings.push(starRing(lon, lat, size, ...hole, [0.02, 0.08]));
      const polygons: Position[][][] = [rings];
      // The island sits in the hole, within its smallest reach (0.02 × size × cos 60°).
      if (hole && island) polygons.push([starRing(lon, lat, size, ...island, [0.001, 0.009])]);
      return polygons;
    });

/** A Polygon or MultiPolygon (1–3 parts side by side, each maybe with a hole and an island). */
export const boundaryAt = (lon: number, lat: number, size: number) =>
  fc.integer({ min: 1, max: 3 }).chain((parts) =>
    fc
      .tuple(...Array.from({ length: parts }, (_, k) => polygonAt(lon + k * 2.5 * size, lat, size)))
      .map((groups): BoundaryGeometry => {
        const polygons = groups.flat();
        return polygons.length === 1
          ? { type: 'Polygon', coordinates: polygons[0]! }
          : { type: 'MultiPolygon', coordinates: polygons };
      }),
  );

/** Every vertex of a geometry. */
export function verticesOf(geometry: BoundaryGeometry): Position[] {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  return polygons.flat(2);
}

/** A closed square ring with its south-west corner at (lon, lat). */
export function squareRing(lon: number, lat: number, size: number): Position[] {
  return [
    [lon, lat],
    [lon + size, lat],
    [lon + size, lat + size],
    [lon, lat + size],
    [lon, lat],
  ];
}
