import type { FieldError } from '../../shared/errors.js';
import { isLocale, LOCALES } from '../../shared/locales.js';
import type { BoundaryGeometry, MunicipalityInput, RegionInput } from './tenancy.types.js';

/** Pure rules for regions and municipalities: validation and derived figures. No I/O. */

export const SLUG_PATTERN = '^[a-z0-9]+(?:-[a-z0-9]+)*$';
const SLUG = new RegExp(SLUG_PATTERN);
export const NIS_CODE_PATTERN = '^[0-9]{5}$';
const NIS_CODE = new RegExp(NIS_CODE_PATTERN);
export const MAX_NAME_LENGTH = 100;
export const MAX_REGISTERED_HOUSEHOLDS = 10_000_000;
export const MAX_POINT_VALUE_CENTS = 100_000;
export const MAX_POINTS_EXPIRY_MONTHS = 120;
/** A boundary is a map outline, not a survey: this many vertices is plenty and bounds the work. */
export const MAX_BOUNDARY_VERTICES = 100_000;
/** Belgian statistics count about 2.3 people per household. */
export const PEOPLE_PER_HOUSEHOLD = 2.3;

/** Every problem with a municipality's fields; an empty list means valid. */
export function validateMunicipality(input: MunicipalityInput): FieldError[] {
  const errors: FieldError[] = [...validateSlug(input.slug), ...validateNames(input.names)];
  if (input.nisCode != null && !NIS_CODE.test(input.nisCode)) {
    errors.push({ field: 'nisCode', code: 'pattern', message: 'A NIS code has exactly 5 digits.' });
  }
  if (!isLocale(input.defaultLocale)) {
    errors.push({
      field: 'defaultLocale',
      code: 'enum',
      message: `Use one of ${LOCALES.join(', ')}.`,
    });
  }
  if (!isWholeNumberIn(input.registeredHouseholds, 0, MAX_REGISTERED_HOUSEHOLDS)) {
    errors.push({
      field: 'registeredHouseholds',
      code: 'range',
      message: `Registered households is a whole number from 0 to ${MAX_REGISTERED_HOUSEHOLDS}.`,
    });
  }
  if (!isWholeNumberIn(input.pointValueCents, 1, MAX_POINT_VALUE_CENTS)) {
    errors.push({
      field: 'pointValueCents',
      code: 'range',
      message: `The value of a point is a whole number of euro cents from 1 to ${MAX_POINT_VALUE_CENTS}.`,
    });
  }
  if (
    input.pointsExpiryMonths != null &&
    !isWholeNumberIn(input.pointsExpiryMonths, 1, MAX_POINTS_EXPIRY_MONTHS)
  ) {
    errors.push({
      field: 'pointsExpiryMonths',
      code: 'range',
      message: `Points expire after 1 to ${MAX_POINTS_EXPIRY_MONTHS} months, or never (leave it empty).`,
    });
  }
  if (input.boundary != null) errors.push(...validateBoundary(input.boundary));
  return errors;
}

/** Every problem with a region's fields. */
export function validateRegion(input: RegionInput): FieldError[] {
  return [...validateSlug(input.slug), ...validateNames(input.names)];
}

function validateSlug(slug: unknown): FieldError[] {
  if (typeof slug !== 'string' || slug.length < 2 || slug.length > 63 || !SLUG.test(slug)) {
    return [
      {
        field: 'slug',
        code: 'pattern',
        message:
          'A slug is 2-63 lowercase letters, digits and single hyphens, e.g. "hamont-achel".',
      },
    ];
  }
  return [];
}

function validateNames(names: unknown): FieldError[] {
  const record = (typeof names === 'object' && names !== null ? names : {}) as Record<
    string,
    unknown
  >;
  return LOCALES.flatMap((locale): FieldError[] => {
    const name = record[locale];
    if (typeof name !== 'string' || name.trim() === '' || name.length > MAX_NAME_LENGTH) {
      return [
        {
          field: `names.${locale}`,
          code: 'required',
          message: `A name in ${locale} of 1 to ${MAX_NAME_LENGTH} characters is required.`,
        },
      ];
    }
    return [];
  });
}

function isWholeNumberIn(value: unknown, min: number, max: number): boolean {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= min && value <= max;
}

/**
 * Checks a boundary is a GeoJSON Polygon or MultiPolygon in WGS84 with closed rings of at least
 * four positions and a sane number of vertices. (Self-intersection is checked with routing.)
 */
export function validateBoundary(geometry: unknown): FieldError[] {
  const fail = (message: string): FieldError[] => [
    { field: 'boundary', code: 'geometry', message },
  ];
  if (typeof geometry !== 'object' || geometry === null)
    return fail('A boundary is a GeoJSON geometry.');
  const { type, coordinates } = geometry as { type?: unknown; coordinates?: unknown };
  let polygons: unknown[];
  if (type === 'Polygon') polygons = [coordinates];
  else if (type === 'MultiPolygon' && Array.isArray(coordinates)) polygons = coordinates;
  else return fail('A boundary is a GeoJSON Polygon or MultiPolygon.');
  if (polygons.length === 0) return fail('A MultiPolygon needs at least one polygon.');

  let vertices = 0;
  for (const polygon of polygons) {
    if (!Array.isArray(polygon) || polygon.length === 0)
      return fail('A polygon needs at least one ring.');
    for (const ring of polygon) {
      if (!Array.isArray(ring) || ring.length < 4)
        return fail('A ring needs at least four positions.');
      for (const position of ring) {
        if (!isPosition(position)) {
          return fail('Each position is [longitude, latitude] in degrees (WGS84).');
        }
      }
      const first = ring[0] as number[];
      const last = ring[ring.length - 1] as number[];
      if (first[0] !== last[0] || first[1] !== last[1]) {
        return fail('Each ring must be closed: its last position equals its first.');
      }
      vertices += ring.length;
      if (vertices > MAX_BOUNDARY_VERTICES) {
        return fail(`A boundary may have at most ${MAX_BOUNDARY_VERTICES} vertices.`);
      }
    }
  }
  return [];
}

function isPosition(value: unknown): boolean {
  if (!Array.isArray(value) || value.length < 2 || value.length > 3) return false;
  const [lon, lat] = value;
  return (
    typeof lon === 'number' &&
    typeof lat === 'number' &&
    Number.isFinite(lon) &&
    Number.isFinite(lat) &&
    lon >= -180 &&
    lon <= 180 &&
    lat >= -90 &&
    lat <= 90
  );
}

/** Drops any altitude so stored boundaries are plain [lon, lat] pairs. */
export function normalizeBoundary(geometry: BoundaryGeometry): BoundaryGeometry {
  const ring = (r: number[][]) => r.map(([lon, lat]) => [lon, lat] as [number, number]);
  return geometry.type === 'Polygon'
    ? { type: 'Polygon', coordinates: geometry.coordinates.map(ring) }
    : { type: 'MultiPolygon', coordinates: geometry.coordinates.map((p) => p.map(ring)) };
}

/** Registered households estimated from population, until the municipality imports its register. */
export function householdsFromPopulation(population: number): number {
  return Math.round(population / PEOPLE_PER_HOUSEHOLD);
}
