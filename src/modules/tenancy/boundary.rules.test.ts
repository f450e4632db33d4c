import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { boundaryAt, squareRing, starRing } from '../../../test/support/polygons.js';
import { BELGIAN_MUNICIPALITIES_FILE } from '../../demo/belgian-municipalities.js';
import {
  boundaryProblems,
  firstCrossing,
  MAX_BOUNDARY_SPAN_DEGREES,
  type SegmentLike,
  segmentsMeet,
} from './boundary.rules.js';
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

/**
 * Whether two segments share a point, solved the other way round: p + t·r = q + u·s for t, u in
 * [0, 1] (or, when parallel and on one line, overlapping projections); integers only, so exact.
 */
function meetReference(a: SegmentLike, b: SegmentLike): boolean {
  const cross = (x1: number, y1: number, x2: number, y2: number) => x1 * y2 - y1 * x2;
  const [rx, ry, sx, sy] = [a.x2 - a.x1, a.y2 - a.y1, b.x2 - b.x1, b.y2 - b.y1];
  const [qx, qy] = [b.x1 - a.x1, b.y1 - a.y1];
  const denominator = cross(rx, ry, sx, sy);
  // t = tn / d and u = un / d lie in [0, 1]: compared without dividing, so exactly.
  const within = (n: number, d: number) => n * d >= 0 && Math.abs(n) <= Math.abs(d);
  if (denominator !== 0) {
    return within(cross(qx, qy, sx, sy), denominator) && within(cross(qx, qy, rx, ry), denominator);
  }
  if (cross(qx, qy, rx, ry) !== 0) return false;
  // On one line: b's ends projected on a, in units of |r|², overlap a's [0, |r|²].
  const length = rx * rx + ry * ry;
  const t0 = qx * rx + qy * ry;
  const t1 = t0 + sx * rx + sy * ry;
  return Math.max(Math.min(t0, t1), 0) <= Math.min(Math.max(t0, t1), length);
}

describe('segmentsMeet', () => {
  it('agrees with solving for the meeting point, on a small integer lattice', () => {
    const coordinate = fc.integer({ min: -4, max: 4 });
    const segment = fc
      .record({ x1: coordinate, y1: coordinate, x2: coordinate, y2: coordinate })
      .filter((s) => s.x1 !== s.x2 || s.y1 !== s.y2);
    fc.assert(
      fc.property(segment, segment, (a, b) => {
        expect(segmentsMeet(a, b)).toBe(meetReference(a, b));
        expect(segmentsMeet(b, a)).toBe(segmentsMeet(a, b));
      }),
      { numRuns: 5000 },
    );
  });
});

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
    // A hole that is only a spike goes; an outer ring that is only a spike is refused.
    const spikeOnly: Position[] = [
      [5.02, 51.02],
      [5.05, 51.05],
      [5.02, 51.02],
      [5.02, 51.02],
    ];
    expect(normalizeBoundary(polygon(square(5, 51, 0.1), spikeOnly)).coordinates).toEqual([
      square(5, 51, 0.1),
    ]);
    expect(validateBoundary(polygon(square(5, 51, 0.1), spikeOnly))).toEqual([]);
    expect(codes(polygon(spikeOnly))).toEqual(['zero_area']);
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
