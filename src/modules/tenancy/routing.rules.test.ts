import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { boundaryAt, verticesOf } from '../../../test/support/polygons.js';
import { BELGIAN_MUNICIPALITIES_FILE } from '../../demo/belgian-municipalities.js';
import {
  DEFAULT_INDEX_CELLS,
  insideBoundary,
  type RoutedBoundary,
  RoutingIndex,
} from './routing.rules.js';
import type { BoundaryGeometry } from './tenancy.types.js';

/**
 * The routing index answers exactly what a scan of insideBoundary over every boundary answers
 * (the first that holds the point), for random polygons with holes, multipolygons, overlapping
 * sets and the real Belgian municipalities, at points anywhere, on vertices and just beside them.
 */

const scan = (boundaries: readonly RoutedBoundary[], lon: number, lat: number) =>
  boundaries.find((b) => insideBoundary(lon, lat, b.boundary))?.id;

const named = (geometries: BoundaryGeometry[]): RoutedBoundary[] =>
  geometries.map((boundary, i) => ({ id: `m${i}`, slug: `m${i}`, boundary }));

/** Points to try near a geometry: its vertices, and points a hair to a step away from them. */
const nearVertices = (geometries: BoundaryGeometry[]) => {
  const vertices = geometries.flatMap(verticesOf);
  return fc
    .tuple(
      fc.nat(),
      fc.constantFrom(0, 1e-12, 1e-9, 1e-6, 1e-3),
      fc.double({ min: -1, max: 1, noNaN: true }),
      fc.double({ min: -1, max: 1, noNaN: true }),
    )
    .map(([pick, step, dx, dy]) => {
      const [lon, lat] = vertices[pick % vertices.length]!;
      return [lon + step * dx, lat + step * dy] as const;
    });
};

describe('the routing index', () => {
  it('agrees with a scan for polygons with holes, islands and multipolygons', () => {
    const municipalities = fc
      .array(
        fc.record({
          lon: fc.double({ min: 2.5, max: 6.0, noNaN: true }),
          lat: fc.double({ min: 49.5, max: 51.5, noNaN: true }),
          size: fc.double({ min: 0.001, max: 0.2, noNaN: true }),
        }),
        { minLength: 1, maxLength: 5 },
      )
      .chain((places) => fc.tuple(...places.map((p) => boundaryAt(p.lon, p.lat, p.size))));
    fc.assert(
      fc.property(
        municipalities,
        fc.constantFrom(1, 16, 256, 4096, DEFAULT_INDEX_CELLS),
        fc.array(
          fc.tuple(
            fc.double({ min: 2.4, max: 7.0, noNaN: true }),
            fc.double({ min: 49.4, max: 51.8, noNaN: true }),
          ),
          { maxLength: 50 },
        ),
        fc.nat(),
        (geometries, cells, randomPoints, seed) => {
          const boundaries = named(geometries);
          const index = new RoutingIndex(boundaries, cells);
          const near = fc.sample(nearVertices(geometries), { numRuns: 100, seed });
          for (const [lon, lat] of [...randomPoints, ...near]) {
            expect(index.find(lon, lat)?.id, `${lon},${lat}`).toBe(scan(boundaries, lon, lat));
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('agrees with a scan inside the boxes of its boundaries, where the mixed cells are', () => {
    fc.assert(
      fc.property(
        boundaryAt(5.3, 51.1, 0.05),
        fc.constantFrom(64, 1024, 16384),
        fc.array(
          fc.tuple(
            fc.double({ min: 0, max: 1, noNaN: true }),
            fc.double({ min: 0, max: 1, noNaN: true }),
          ),
          { minLength: 200, maxLength: 200 },
        ),
        (geometry, cells, units) => {
          const boundaries = named([geometry]);
          const index = new RoutingIndex(boundaries, cells);
          const [west, south] = [5.3 - 0.05, 51.1 - 0.05];
          const width = geometry.type === 'MultiPolygon' ? 0.35 : 0.1;
          for (const [u, v] of units) {
            const lon = west + u * width;
            const lat = south + v * 0.1;
            expect(index.find(lon, lat)?.id).toBe(scan(boundaries, lon, lat));
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('keeps the scan order where boundaries overlap, and knows nothing without boundaries', () => {
    const square = (lon: number, lat: number, size: number): BoundaryGeometry => ({
      type: 'Polygon',
      coordinates: [
        [
          [lon, lat],
          [lon + size, lat],
          [lon + size, lat + size],
          [lon, lat + size],
          [lon, lat],
        ],
      ],
    });
    const boundaries = named([square(5, 51, 0.1), square(5.05, 51.05, 0.1)]);
    const index = new RoutingIndex(boundaries, 256);
    expect(index.find(5.07, 51.07)?.id).toBe('m0');
    expect(index.find(5.12, 51.12)?.id).toBe('m1');
    expect(index.find(5.2, 51.2)).toBeUndefined();
    expect(index.find(4, 51)).toBeUndefined();
    expect(new RoutingIndex([]).find(5, 51)).toBeUndefined();
    expect(index.find(Number.NaN, 51)).toBeUndefined();
  });

  it('agrees with a scan for a comb of long teeth, tested whole rather than row by row', () => {
    // 100 teeth 0.9° tall: listing each tooth's edges in every row it crosses would cost more
    // than the outline, so this boundary keeps no row table and mixed cells test it whole.
    const comb: [number, number][] = [[5, 50]];
    for (let k = 0; k < 100; k++) {
      comb.push([5 + k * 0.01, 51], [5 + k * 0.01 + 0.005, 51], [5 + k * 0.01 + 0.005, 50.1]);
      comb.push([5 + k * 0.01 + 0.01, 50.1]);
    }
    comb.push([6, 50], [5, 50]);
    const boundaries = named([{ type: 'Polygon', coordinates: [comb] }]);
    const index = new RoutingIndex(boundaries, 4096);
    expect(index.stats().testedWhole).toBe(1);
    fc.assert(
      fc.property(
        fc.double({ min: 4.9, max: 6.1, noNaN: true }),
        fc.double({ min: 49.9, max: 51.1, noNaN: true }),
        (lon, lat) => {
          expect(index.find(lon, lat)?.id).toBe(scan(boundaries, lon, lat));
        },
      ),
      { numRuns: 2000 },
    );
  });

  describe('over the 581 Belgian municipalities', () => {
    const collection = JSON.parse(readFileSync(BELGIAN_MUNICIPALITIES_FILE, 'utf8')) as {
      features: { properties: { nis: string }; geometry: BoundaryGeometry }[];
    };
    const belgium: RoutedBoundary[] = collection.features.map((f) => ({
      id: f.properties.nis,
      slug: f.properties.nis,
      boundary: f.geometry,
    }));
    const geometries = belgium.map((b) => b.boundary);
    const indexes = [new RoutingIndex(belgium), new RoutingIndex(belgium, 4096)];
    expect(indexes.map((index) => index.stats().testedWhole)).toEqual([0, 0]);

    it('agrees with a scan at random points of the country and around', () => {
      fc.assert(
        fc.property(
          fc.double({ min: 2.4, max: 6.5, noNaN: true }),
          fc.double({ min: 49.4, max: 51.6, noNaN: true }),
          (lon, lat) => {
            const expected = scan(belgium, lon, lat);
            for (const index of indexes) expect(index.find(lon, lat)?.id).toBe(expected);
          },
        ),
        { numRuns: 1500 },
      );
    });

    it('agrees with a scan on and beside the borders between municipalities', () => {
      fc.assert(
        fc.property(nearVertices(geometries), ([lon, lat]) => {
          const expected = scan(belgium, lon, lat);
          for (const index of indexes) expect(index.find(lon, lat)?.id).toBe(expected);
        }),
        { numRuns: 1500 },
      );
    });

    it('puts a point of Hasselt in Hasselt and the North Sea nowhere', () => {
      expect(indexes[0]!.find(5.3378, 50.9307)?.id).toBe('71022');
      expect(indexes[0]!.find(2.5, 51.6)).toBeUndefined();
    });
  });
});
