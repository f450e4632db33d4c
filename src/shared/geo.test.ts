import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { distanceMeters, isValidCoordinate, MEAN_EARTH_RADIUS_METERS } from './geo.js';

const coordinate = fc.record({
  latitude: fc.double({ min: -90, max: 90, noNaN: true }),
  longitude: fc.double({ min: -180, max: 180, noNaN: true }),
});

describe('distanceMeters', () => {
  it('measures known distances', () => {
    const oneDegreeOfArc = (MEAN_EARTH_RADIUS_METERS * Math.PI) / 180;
    expect(
      distanceMeters({ latitude: 0, longitude: 0 }, { latitude: 1, longitude: 0 }),
    ).toBeCloseTo(oneDegreeOfArc, 6);
    expect(
      distanceMeters({ latitude: 0, longitude: 0 }, { latitude: 0, longitude: 1 }),
    ).toBeCloseTo(oneDegreeOfArc, 6);
    expect(
      distanceMeters({ latitude: 0, longitude: 0 }, { latitude: 0, longitude: 180 }),
    ).toBeCloseTo(Math.PI * MEAN_EARTH_RADIUS_METERS, 3);
    // Brussels Grand-Place to Antwerp Central Station: about 41.1 km as the crow flies.
    const brussels = { latitude: 50.84673, longitude: 4.35247 };
    const antwerp = { latitude: 51.21725, longitude: 4.42108 };
    expect(distanceMeters(brussels, antwerp)).toBeGreaterThan(41_000);
    expect(distanceMeters(brussels, antwerp)).toBeLessThan(41_500);
    // Ten metres north is ten metres, not rounded away at street scale.
    const tenMetresNorth = {
      latitude: brussels.latitude + 10 / oneDegreeOfArc,
      longitude: 4.35247,
    };
    expect(distanceMeters(brussels, tenMetresNorth)).toBeCloseTo(10, 6);
  });

  it('is a metric bounded by half the circumference', () => {
    fc.assert(
      fc.property(coordinate, coordinate, coordinate, (a, b, c) => {
        const ab = distanceMeters(a, b);
        expect(ab).toBeGreaterThanOrEqual(0);
        expect(ab).toBeLessThanOrEqual(Math.PI * MEAN_EARTH_RADIUS_METERS + 1e-6);
        expect(distanceMeters(a, a)).toBe(0);
        // Near antipodal points haversine's asin is ill-conditioned: a metre of slack on a
        // 20,000 km scale keeps the property meaningful without failing on rounding.
        expect(Math.abs(ab - distanceMeters(b, a))).toBeLessThan(1);
        expect(ab).toBeLessThanOrEqual(distanceMeters(a, c) + distanceMeters(c, b) + 1);
      }),
    );
  });
});

describe('isValidCoordinate', () => {
  it('accepts the globe and refuses anything else', () => {
    expect(isValidCoordinate(50.85, 4.35)).toBe(true);
    expect(isValidCoordinate(-90, -180)).toBe(true);
    expect(isValidCoordinate(90, 180)).toBe(true);
    for (const [latitude, longitude] of [
      [90.0001, 0],
      [0, -180.0001],
      [Number.NaN, 0],
      [0, Number.POSITIVE_INFINITY],
      ['50', 4],
      [null, 4],
      [undefined, undefined],
    ]) {
      expect(isValidCoordinate(latitude, longitude)).toBe(false);
    }
  });
});
