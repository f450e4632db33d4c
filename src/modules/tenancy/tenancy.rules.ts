import type { FieldError } from '../../shared/errors.js';
import { isLocale, LOCALES } from '../../shared/locales.js';
import { boundaryProblems } from './boundary.rules.js';
import type {
  BoundaryGeometry,
  MunicipalityInput,
  Position,
  RegionInput,
} from './tenancy.types.js';

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
 * Every problem with a boundary, each with a stable code, its `field` a path below `field`
 * (`boundary/coordinates/0/3`: ring 0, position 3). First the structure: a GeoJSON Polygon or
 * MultiPolygon (`geometry_type`), polygons with rings (`empty`), rings of at least four
 * (`ring_too_short`) [longitude, latitude] positions in range (`position`), closed
 * (`ring_not_closed`), at most MAX_BOUNDARY_VERTICES in all (`too_many_vertices`); one of these
 * stops the check. Then, on the normalised form (see normalizeBoundary), the geometry:
 * `self_intersection`, `hole_outside`, `polygons_overlap`, `zero_area`, `too_large`,
 * `too_complex` (see boundary.rules.ts).
 */
export function validateBoundary(geometry: unknown, field = 'boundary'): FieldError[] {
  const fail = (code: string, path: string, message: string): FieldError[] => [
    { field: path ? `${field}/${path}` : field, code, message },
  ];
  if (typeof geometry !== 'object' || geometry === null)
    return fail('geometry_type', '', 'A boundary is a GeoJSON geometry.');
  const { type, coordinates } = geometry as { type?: unknown; coordinates?: unknown };
  let polygons: unknown[];
  if (type === 'Polygon') polygons = [coordinates];
  else if (type === 'MultiPolygon' && Array.isArray(coordinates)) polygons = coordinates;
  else return fail('geometry_type', 'type', 'A boundary is a GeoJSON Polygon or MultiPolygon.');
  if (polygons.length === 0)
    return fail('empty', 'coordinates', 'A MultiPolygon needs at least one polygon.');
  const pathOf = (p: number, r?: number) =>
    ['coordinates', ...(type === 'MultiPolygon' ? [p] : []), ...(r === undefined ? [] : [r])].join(
      '/',
    );

  let vertices = 0;
  for (const [p, polygon] of polygons.entries()) {
    if (!Array.isArray(polygon) || polygon.length === 0)
      return fail('empty', pathOf(p), 'A polygon needs at least one ring.');
    for (const [r, ring] of polygon.entries()) {
      if (!Array.isArray(ring) || ring.length < 4)
        return fail('ring_too_short', pathOf(p, r), 'A ring needs at least four positions.');
      for (const [i, position] of ring.entries()) {
        if (!isPosition(position)) {
          return fail(
            'position',
            `${pathOf(p, r)}/${i}`,
            'Each position is [longitude, latitude] in degrees (WGS84): longitude -180..180, latitude -90..90.',
          );
        }
      }
      const first = ring[0] as number[];
      const last = ring[ring.length - 1] as number[];
      if (first[0] !== last[0] || first[1] !== last[1]) {
        return fail(
          'ring_not_closed',
          pathOf(p, r),
          'Each ring must be closed: its last position equals its first.',
        );
      }
      vertices += ring.length;
      if (vertices > MAX_BOUNDARY_VERTICES) {
        return fail(
          'too_many_vertices',
          'coordinates',
          `A boundary may have at most ${MAX_BOUNDARY_VERTICES} vertices.`,
        );
      }
    }
  }
  return boundaryProblems(normalizeBoundary(geometry as BoundaryGeometry)).map((problem) => ({
    field: `${field}/${problem.path}`,
    code: problem.code,
    message: problem.message,
  }));
}

/**
 * The geometry an uploaded GeoJSON document holds: a Polygon or MultiPolygon itself, a Feature
 * of one, or a FeatureCollection of exactly one such Feature; with the path of the geometry
 * inside the document (for the field of each problem). A problem (`geojson`) otherwise.
 */
export function geometryOfUpload(
  document: unknown,
): { geometry: unknown; field: string } | { problem: FieldError } {
  const problem = (field: string, message: string) => ({
    problem: { field, code: 'geojson', message },
  });
  const value = document as { type?: unknown; geometry?: unknown; features?: unknown } | null;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return problem('', 'Send a GeoJSON object: a Polygon, a MultiPolygon, or a Feature of one.');
  }
  if (value.type === 'Feature') return { geometry: value.geometry, field: '/geometry' };
  if (value.type === 'FeatureCollection') {
    if (!Array.isArray(value.features) || value.features.length !== 1) {
      return problem(
        '/features',
        'A FeatureCollection for one municipality holds exactly one Feature.',
      );
    }
    const feature = value.features[0] as { type?: unknown; geometry?: unknown } | null;
    if (feature?.type !== 'Feature') return problem('/features/0', 'Expected a GeoJSON Feature.');
    return { geometry: feature.geometry, field: '/features/0/geometry' };
  }
  return { geometry: value, field: '' };
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

/**
 * The boundary as it is stored: plain [lon, lat] pairs (altitudes dropped), without repeated
 * consecutive positions or spikes (an edge that runs straight back over the one before, as
 * simplified map data has): neither encloses any area, so the outline means the same.
 */
export function normalizeBoundary(geometry: BoundaryGeometry): BoundaryGeometry {
  // A hole that was nothing but spikes encloses nothing and goes; an outer ring that collapses
  // stays, for the check to call it what it is (`zero_area`).
  const polygon = (rings: number[][][]) =>
    rings
      .map((r) => cleanRing(r.map(([lon, lat]) => [lon, lat] as Position)))
      .filter((r, index) => index === 0 || r.length >= 4);
  return geometry.type === 'Polygon'
    ? { type: 'Polygon', coordinates: polygon(geometry.coordinates) }
    : { type: 'MultiPolygon', coordinates: geometry.coordinates.map(polygon) };
}

const samePosition = (a: Position, b: Position) => a[0] === b[0] && a[1] === b[1];

/** True when a → b → c turns straight back: b is the tip of a spike. */
function isSpike(a: Position, b: Position, c: Position): boolean {
  const cross = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
  return cross === 0 && (b[0] - a[0]) * (c[0] - b[0]) + (b[1] - a[1]) * (c[1] - b[1]) < 0;
}

/** A closed ring without repeated positions and spikes (still closed; may end up short). */
function cleanRing(closed: Position[]): Position[] {
  const kept: Position[] = [];
  for (const position of closed.slice(0, -1)) {
    let add = true;
    while (kept.length > 0) {
      if (samePosition(kept[kept.length - 1]!, position)) {
        add = false;
        break;
      }
      if (kept.length >= 2 && isSpike(kept[kept.length - 2]!, kept[kept.length - 1]!, position)) {
        kept.pop();
        continue;
      }
      break;
    }
    if (add) kept.push(position);
  }
  // Where the ring closes: the last position may repeat the first, or either may be a spike.
  for (;;) {
    const n = kept.length;
    if (n < 3) break;
    if (samePosition(kept[n - 1]!, kept[0]!) || isSpike(kept[n - 2]!, kept[n - 1]!, kept[0]!))
      kept.pop();
    else if (isSpike(kept[n - 1]!, kept[0]!, kept[1]!)) kept.shift();
    else break;
  }
  if (kept.length === 0) return closed;
  return [...kept, kept[0]!];
}

/** Registered households estimated from population, until the municipality imports its register. */
export function householdsFromPopulation(population: number): number {
  return Math.round(population / PEOPLE_PER_HOUSEHOLD);
}
