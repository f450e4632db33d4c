/** Distances and coordinate checks on the WGS 84 globe, for the location checks of claims and tasks. */

export interface Coordinate {
  latitude: number;
  longitude: number;
}

/** The IUGG mean Earth radius; the haversine error against the ellipsoid stays under 0.5 %. */
export const MEAN_EARTH_RADIUS_METERS = 6_371_008.8;

const RADIANS_PER_DEGREE = Math.PI / 180;

/** The great-circle distance in metres between two valid coordinates (haversine); never negative. */
export function distanceMeters(a: Coordinate, b: Coordinate): number {
  const latitudeA = a.latitude * RADIANS_PER_DEGREE;
  const latitudeB = b.latitude * RADIANS_PER_DEGREE;
  const halfLatitudeDelta = (latitudeB - latitudeA) / 2;
  const halfLongitudeDelta = ((b.longitude - a.longitude) * RADIANS_PER_DEGREE) / 2;
  const h =
    Math.sin(halfLatitudeDelta) ** 2 +
    Math.cos(latitudeA) * Math.cos(latitudeB) * Math.sin(halfLongitudeDelta) ** 2;
  // Rounding can push h a hair above 1 for antipodal points, and asin would return NaN.
  return 2 * MEAN_EARTH_RADIUS_METERS * Math.asin(Math.sqrt(Math.min(1, h)));
}

/** True when both are finite numbers with the latitude in [-90, 90] and the longitude in [-180, 180]. */
export function isValidCoordinate(latitude: unknown, longitude: unknown): boolean {
  return (
    typeof latitude === 'number' &&
    typeof longitude === 'number' &&
    Number.isFinite(latitude) &&
    Number.isFinite(longitude) &&
    latitude >= -90 &&
    latitude <= 90 &&
    longitude >= -180 &&
    longitude <= 180
  );
}
