import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { boundaryAt, squareRing, starRing } from '../../../test/support/polygons.js';
import { BELGIAN_MUNICIPALITIES_FILE } from '../../demo/belgian-municipalities.js';
import { boundaryProblems, firstCrossing, MAX_BOUNDARY_SPAN_DEGREES } from './boundary.rules.js';
import { normalizeBoundary, validateBoundary } from './tenancy.rules.js';
import type { BoundaryGeometry, Position } from './tenancy.types.js';

/** The geometric checks of a boundary: crossings, holes, overlapping parts, size. */

const polygon = (...rings: Position[][]): BoundaryGeometry => ({
  type: 'Polygon',
  coordinates: rings,
});
const square = squareRing;
const codes = (geometry: unknown) => validateBoundary(geometry).map((e) => e.code);

/** A convex ring: n points on a circle at increasing angles, closed. */
const convexRing = fc
  .record({
    lon: fc.double({ min: 3, max: 6, noNaN: true }),
    lat: fc.double({ min: 50, max: 51, noNaN: true }),
    size: fc.double({ min: 0.001, max: 0.5, noNaN: true }),
    jitters: fc.array(fc.double({ min: 0.05, max: 0.95, noNaN: true }), {
      minLength: 4,
      maxLength: 60,
    }),
  })
  .map(({ lon, lat, size, jitters }) =>
    starRing(
      lon,
      lat,
      size,
      jitters,
      jitters.map(() => 1),
    ),
  );

describe('the boundary checks', () => {
  it('accept every random simple polygon, with holes, islands and several parts', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -170, max: 170, noNaN: true }),
        fc.double({ min: -80, max: 80, noNaN: true }),
        fc.double({ min: 0.1, max: 0.2, noNaN: true }),
        fc.nat(),
        (lon, lat, size, seed) => {
          const [geometry] = fc.sample(boundaryAt(lon, lat, size), { numRuns: 1, seed });
          expect(validateBoundary(geometry)).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuse a ring in which two edges cross (two neighbouring vertices swapped)', () => {
    fc.assert(
      fc.property(convexRing, fc.nat(), (ring, pick) => {
        const open = ring.slice(0, -1);
        const i = pick % open.length;
        const j = (i + 1) % open.length;
        [open[i], open[j]] = [open[j]!, open[i]!];
        const crossed = [...open, open[0]!];
        expect(codes(polygon(crossed))).toContain('self_intersection');
      }),
      { numRuns: 300 },
    );
  });

  it('name the edges that cross, and the ring that touches another', () => {
    const bowTie: Position[] = [
      [5, 51],
      [5.1, 51.1],
      [5.1, 51],
      [5, 51.1],
      [5, 51],
    ];
    expect(validateBoundary(polygon(bowTie))).toContainEqual(
      expect.objectContaining({ field: 'boundary/coordinates/0/0', code: 'self_intersection' }),
    );
    // A hole touching its outer ring at one point, and one sharing part of an edge.
    const touching = polygon(square(5, 51, 1), [
      [5, 51.5],
      [5.2, 51.4],
      [5.2, 51.6],
      [5, 51.5],
    ]);
    expect(codes(touching)).toEqual(['self_intersection']);
    // A ring passing twice through one position (a figure eight).
    const eight: Position[] = [
      [5, 51],
      [5.1, 51],
      [5.05, 51.05],
      [5.1, 51.1],
      [5, 51.1],
      [5.05, 51.05],
      [5, 51],
    ];
    expect(codes(polygon(eight))).toEqual(['self_intersection']);
  });

  it('refuse holes outside their outer ring, nested parts, no area and too much area', () => {
    expect(codes(polygon(square(5, 51, 0.1), square(5.2, 51, 0.05)))).toEqual(['hole_outside']);
    expect(
      codes(polygon(square(5, 51, 0.1), square(5.01, 51.01, 0.05), square(5.02, 51.02, 0.01))),
    ).toEqual(['hole_outside']);
    expect(
      codes({
        type: 'MultiPolygon',
        coordinates: [[square(5, 51, 0.1)], [square(5.02, 51.02, 0.01)]],
      }),
    ).toEqual(['polygons_overlap']);
    const flat: Position[] = [
      [5, 51],
      [5.1, 51],
      [5.2, 51],
      [5, 51],
    ];
    expect(codes(polygon(flat))).toContain('zero_area');
    expect(codes(polygon(square(5, 51, MAX_BOUNDARY_SPAN_DEGREES + 0.01)))).toEqual(['too_large']);
    expect(codes(polygon(square(5, 51, MAX_BOUNDARY_SPAN_DEGREES - 0.01)))).toEqual([]);
  });

  it('drop repeated positions and spikes when normalising, so those pass', () => {
    const spiky: Position[] = [
      [5, 51],
      [5.1, 51],
      [5.1, 51],
      [5.15, 51],
      [5.1, 51],
      [5.1, 51.1],
      [5, 51.1],
      [5, 51],
    ];
    expect(validateBoundary(polygon(spiky))).toEqual([]);
    expect(normalizeBoundary(polygon(spiky)).coordinates[0]).toEqual(
      square(5, 51, 0.1)
        .slice(0, 1)
        .concat([
          [5.1, 51],
          [5.1, 51.1],
          [5, 51.1],
          [5, 51],
        ]),
    );
    // A spike where the ring closes.
    const closing: Position[] = [
      [5.2, 51],
      [5, 51],
      [5, 51.1],
      [5.1, 51.1],
      [5.1, 51],
      [5.2, 51],
    ];
    expect(normalizeBoundary(polygon(closing)).coordinates[0]).toHaveLength(5);
    expect(validateBoundary(polygon(closing))).toEqual([]);
  });

  it('give up on an outline too intricate to check, instead of taking forever', () => {
    // A saw of long parallel teeth: every edge overlaps nearly every other in both directions.
    const teeth: Position[] = [];
    for (let k = 0; k < 200; k++) {
      teeth.push([5, 51 + 2 * k * 0.001], [6, 51.5 + 2 * k * 0.001]);
    }
    teeth.push([5, 51 + 399 * 0.001], [4.9, 51 + 399 * 0.001], [4.9, 51], teeth[0]!);
    expect(firstCrossing([[teeth]], 1000)).toBe('too_complex');
    expect(firstCrossing([[teeth]])).toBeNull();
  });

  it('accept all 581 Belgian municipalities as shipped', () => {
    const collection = JSON.parse(readFileSync(BELGIAN_MUNICIPALITIES_FILE, 'utf8')) as {
      features: { properties: { nis: string }; geometry: BoundaryGeometry }[];
    };
    const refused = collection.features
      .map((f) => ({
        nis: f.properties.nis,
        problems: boundaryProblems(normalizeBoundary(f.geometry)),
      }))
      .filter((f) => f.problems.length > 0);
    expect(refused).toEqual([]);
  });
});
