import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Coordinate, distanceMeters } from './geo.js';
import { boxAround, cellOf, cellRanges, nearestWithin } from './geo-grid.js';

/** The search through the covering cells returns what a scan of every candidate returns. */
function expectGridAsScan(
  center: Coordinate,
  radius: number,
  candidates: (Coordinate & { id: string })[],
  limit: number,
) {
  const ranges = cellRanges(boxAround(center, radius));
  const inCells = candidates.filter((c) => {
    const key = cellOf(c.latitude, c.longitude);
    return ranges.some((r) => key >= r.from && key <= r.to);
  });
  const expected = candidates
    .map((c) => ({ id: c.id, d: distanceMeters(center, c) }))
    .filter((c) => c.d <= radius)
    .sort((a, b) => a.d - b.d || a.id.localeCompare(b.id))
    .slice(0, limit)
    .map((c) => c.id);
  expect(nearestWithin(center, radius, inCells, limit).map((c) => c.id)).toEqual(expected);
}

/** The grid finds exactly what a scan of every point finds: nothing within the radius is missed. */
describe('the geo grid', () => {
  const point = fc.record({
    latitude: fc.double({ min: 49.4, max: 51.6, noNaN: true }),
    longitude: fc.double({ min: 2.5, max: 6.5, noNaN: true }),
  });

  it('keeps every point within the radius inside the cells of its box', () => {
    fc.assert(
      fc.property(
        point,
        fc.double({ min: -0.2, max: 0.2, noNaN: true }),
        fc.double({ min: -0.3, max: 0.3, noNaN: true }),
        fc.integer({ min: 1, max: 20_000 }),
        (center, dLat, dLon, radius) => {
          const other = { latitude: center.latitude + dLat, longitude: center.longitude + dLon };
          fc.pre(distanceMeters(center, other) <= radius);
          const key = cellOf(other.latitude, other.longitude);
          expect(
            cellRanges(boxAround(center, radius)).some((r) => key >= r.from && key <= r.to),
          ).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('returns the nearest within the radius as a brute-force scan does', () => {
    fc.assert(
      fc.property(
        point,
        fc.array(point, { maxLength: 300 }),
        fc.integer({ min: 100, max: 5000 }),
        fc.integer({ min: 1, max: 50 }),
        (center, points, radius, limit) => {
          const candidates = points.map((p, i) => ({ ...p, id: `p${String(i).padStart(4, '0')}` }));
          expectGridAsScan(center, radius, candidates, limit);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('agrees with a brute-force scan where the points crowd the centre and the cell borders', () => {
    // Centres on or a hair off a cell corner; points within a few kilometres, many inside the
    // radius, so the comparison is never of two empty lists.
    const onGrid = fc
      .record({
        row: fc.integer({ min: 4940, max: 5160 }),
        column: fc.integer({ min: 250, max: 650 }),
        dLat: fc.constantFrom(0, 1e-9, -1e-9, 0.005),
        dLon: fc.constantFrom(0, 1e-9, -1e-9, 0.005),
      })
      .map(({ row, column, dLat, dLon }) => ({
        latitude: row / 100 + dLat,
        longitude: column / 100 + dLon,
      }));
    fc.assert(
      fc.property(
        onGrid,
        fc.array(
          fc.record({
            dLat: fc.double({ min: -0.04, max: 0.04, noNaN: true }),
            dLon: fc.double({ min: -0.06, max: 0.06, noNaN: true }),
          }),
          { minLength: 1, maxLength: 300 },
        ),
        fc.integer({ min: 50, max: 4000 }),
        fc.integer({ min: 1, max: 60 }),
        (center, offsets, radius, limit) => {
          const candidates = offsets.map((o, i) => ({
            id: `p${String(i).padStart(4, '0')}`,
            latitude: center.latitude + o.dLat,
            longitude: center.longitude + o.dLon,
          }));
          expectGridAsScan(center, radius, candidates, limit);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('gives cell keys that fit a 32-bit integer column', () => {
    expect(cellOf(-90, -180)).toBe(0);
    expect(cellOf(90, 180)).toBeLessThan(2 ** 31);
    expect(cellOf(51.2249, 5.4276)).toBe(14_122 * 36_000 + 18_542);
  });
});
