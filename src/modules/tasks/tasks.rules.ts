import type { FieldError } from '../../shared/errors.js';
import { type Coordinate, distanceMeters, isValidCoordinate } from '../../shared/geo.js';
import { type BoundingBox, cellOf } from '../../shared/geo-grid.js';
import type { PhotoFacts } from '../claims/claims.checks.js';
import { insideBoundary } from '../tenancy/routing.rules.js';
import { validateBoundary } from '../tenancy/tenancy.rules.js';
import type { TaskArea, TaskFlag, TaskInput } from './tasks.types.js';

/**
 * The rules of tasks (pure): what a valid task is, where it lies on the grid, which slot a claim
 * takes, and what the automatic checks of a completion conclude.
 */

export const MAX_TASK_RADIUS_METERS = 5_000;
export const MAX_TASK_SLOTS = 1_000;
export const MAX_TASK_BOUNTY = 100_000;
export const MAX_HOLD_HOURS = 24 * 30;
export const MAX_AREA_VERTICES = 500;
/** A phone's fix is rarely better than this: a completion this far outside a radius still counts. */
export const LOCATION_TOLERANCE_METERS = 30;
/** The longest window a task may have. */
export const MAX_WINDOW_DAYS = 366;

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;

/** Every problem with a task's fields (types are checked by the schema before). */
export function validateTaskInput(input: TaskInput): FieldError[] {
  const errors: FieldError[] = [];
  const add = (field: string, code: string, message: string) =>
    errors.push({ field, code, message });
  if (input.volunteerSuitable !== true) {
    add(
      '/volunteerSuitable',
      'must_affirm',
      'Affirm that volunteers may do this task and that it replaces no paid municipal work.',
    );
  }
  const hasLocation = input.location != null;
  const hasArea = input.area != null;
  if (hasLocation === hasArea) {
    add('/location', 'place', 'Give either a point with a radius (location) or an area, not both.');
  }
  if (hasLocation) {
    const { latitude, longitude, radiusMeters } = input.location!;
    if (!isValidCoordinate(latitude, longitude)) {
      add('/location', 'coordinate', 'Latitude must be in [-90, 90] and longitude in [-180, 180].');
    }
    if (
      !Number.isInteger(radiusMeters) ||
      radiusMeters < 1 ||
      radiusMeters > MAX_TASK_RADIUS_METERS
    ) {
      add('/location/radiusMeters', 'range', `A radius is 1 to ${MAX_TASK_RADIUS_METERS} metres.`);
    }
  }
  if (hasArea) {
    const problems = validateBoundary(input.area);
    if ((input.area as { type?: unknown }).type !== 'Polygon') {
      add('/area', 'geometry', 'An area is a GeoJSON Polygon.');
    } else if (problems.length > 0) {
      add('/area', 'geometry', problems[0]!.message);
    } else if (input.area!.coordinates.flat().length > MAX_AREA_VERTICES) {
      add('/area', 'geometry', `An area may have at most ${MAX_AREA_VERTICES} vertices.`);
    } else if (areaPlace(input.area!).extentMeters > MAX_TASK_RADIUS_METERS) {
      add(
        '/area',
        'too_large',
        `An area must fit within ${MAX_TASK_RADIUS_METERS} m of its center.`,
      );
    }
  }
  const start = ISO.test(input.windowStart) ? Date.parse(input.windowStart) : Number.NaN;
  const end = ISO.test(input.windowEnd) ? Date.parse(input.windowEnd) : Number.NaN;
  if (Number.isNaN(start)) add('/windowStart', 'date_time', 'Send a date and time with a zone.');
  if (Number.isNaN(end)) add('/windowEnd', 'date_time', 'Send a date and time with a zone.');
  if (!Number.isNaN(start) && !Number.isNaN(end)) {
    if (end <= start) add('/windowEnd', 'order', 'The window must end after it starts.');
    else if (end - start > MAX_WINDOW_DAYS * 86_400_000) {
      add('/windowEnd', 'range', `A window lasts at most ${MAX_WINDOW_DAYS} days.`);
    }
  }
  return errors;
}

export interface TaskPlace {
  latitude: number;
  longitude: number;
  radiusMeters: number | null;
  area: TaskArea | null;
  extentMeters: number;
  cell: number;
}

/** Where a valid task lies: its center, reach and grid cell. */
export function placeOf(input: Pick<TaskInput, 'location' | 'area'>): TaskPlace {
  if (input.area) {
    const { latitude, longitude, extentMeters } = areaPlace(input.area);
    const area: TaskArea = {
      type: 'Polygon',
      coordinates: input.area.coordinates.map((ring) =>
        ring.map(([lon, lat]) => [lon, lat] as [number, number]),
      ),
    };
    return {
      latitude,
      longitude,
      radiusMeters: null,
      area,
      extentMeters,
      cell: cellOf(latitude, longitude),
    };
  }
  const { latitude, longitude, radiusMeters } = input.location!;
  return {
    latitude,
    longitude,
    radiusMeters,
    area: null,
    extentMeters: radiusMeters,
    cell: cellOf(latitude, longitude),
  };
}

/** An area's center (the mean of its outer ring's vertices) and the distance to its farthest vertex. */
function areaPlace(area: TaskArea) {
  const outer = area.coordinates[0]!.slice(0, -1);
  const latitude = outer.reduce((sum, [, lat]) => sum + lat, 0) / outer.length;
  const longitude = outer.reduce((sum, [lon]) => sum + lon, 0) / outer.length;
  const center = { latitude, longitude };
  const extent = Math.max(
    ...outer.map(([lon, lat]) => distanceMeters(center, { latitude: lat, longitude: lon })),
  );
  return { latitude, longitude, extentMeters: Math.max(1, Math.ceil(extent)) };
}

/** True when the point is where the task is done: in its area, or within its radius (with tolerance). */
export function insideTask(
  task: Pick<TaskPlace, 'latitude' | 'longitude' | 'radiusMeters' | 'area'>,
  point: Coordinate,
): boolean {
  if (task.area) return insideBoundary(point.longitude, point.latitude, task.area);
  return distanceMeters(task, point) <= (task.radiusMeters ?? 0) + LOCATION_TOLERANCE_METERS;
}

/** The lowest slot number (1…slots) no held claim uses; null when all are held. */
export function freeSlotNumber(held: readonly number[], slots: number): number | null {
  const taken = new Set(held);
  for (let n = 1; n <= slots; n++) if (!taken.has(n)) return n;
  return null;
}

/** When a slot claimed at `claimedAt` lapses if its task is not completed. */
export function holdExpiry(claimedAt: Date, holdHours: number): Date {
  return new Date(claimedAt.getTime() + holdHours * 3_600_000);
}

/** The ledger transfer that pays a claim's bounty: one id per claim, so it is paid at most once. */
export function bountyTransferId(claimId: string): string {
  return `tsk:${claimId}:bounty`;
}

export interface CompletionFacts {
  task: Pick<TaskPlace, 'latitude' | 'longitude' | 'radiusMeters' | 'area'> & {
    windowStart: string;
    windowEnd: string;
  };
  now: string;
  location: Coordinate | null;
  photos: readonly PhotoFacts[];
}

/**
 * What the automatic checks conclude about a completion: `approved` when nothing is in doubt,
 * else `review` with the flags (outside the place or the window, a photo used before or very
 * like one, a photo taken elsewhere or at another time).
 */
export function assessCompletion(facts: CompletionFacts): {
  outcome: 'approved' | 'review';
  flags: TaskFlag[];
} {
  const flags: TaskFlag[] = [];
  const { task } = facts;
  if (facts.location && !insideTask(task, facts.location)) {
    flags.push({
      code: 'outside_area',
      detail: { distanceMeters: Math.round(distanceMeters(task, facts.location)) },
    });
  }
  const inWindow = (at: string) => at >= task.windowStart && at <= task.windowEnd;
  if (!inWindow(facts.now)) flags.push({ code: 'outside_window', detail: { at: facts.now } });
  for (const photo of facts.photos) {
    if (photo.sameAs) {
      flags.push({
        code: 'photo_reused',
        detail: { photoId: photo.id, usedBy: photo.sameAs.claimId },
      });
    } else if (photo.similarTo) {
      flags.push({
        code: 'photo_similar',
        detail: {
          photoId: photo.id,
          usedBy: photo.similarTo.claimId,
          distance: photo.similarTo.distance,
        },
      });
    }
    if (
      photo.latitude !== null &&
      photo.longitude !== null &&
      !insideTask(task, { latitude: photo.latitude, longitude: photo.longitude })
    ) {
      flags.push({ code: 'photo_outside_area', detail: { photoId: photo.id } });
    }
    if (photo.takenAt !== null && !inWindow(new Date(photo.takenAt).toISOString())) {
      flags.push({
        code: 'photo_outside_window',
        detail: { photoId: photo.id, takenAt: photo.takenAt },
      });
    }
  }
  return { outcome: flags.length === 0 ? 'approved' : 'review', flags };
}

/** An open task as a GeoJSON feature of the public map feed (no personal data). */
export function taskFeature(task: {
  id: string;
  title: Record<'nl' | 'fr' | 'de' | 'en', string>;
  status: string;
  municipalitySlug: string;
  createdAt: string;
  bountyPoints: number;
  slotsLeft: number;
  windowStart: string;
  windowEnd: string;
  radiusMeters: number | null;
  estimatedMinutes: number;
  latitude: number;
  longitude: number;
}) {
  return {
    type: 'Feature' as const,
    id: task.id,
    geometry: { type: 'Point' as const, coordinates: [task.longitude, task.latitude] },
    properties: {
      id: task.id,
      kind: 'task' as const,
      names: task.title,
      status: task.status,
      municipality: task.municipalitySlug,
      createdAt: task.createdAt,
      bounty: task.bountyPoints,
      slotsLeft: task.slotsLeft,
      windowStart: task.windowStart,
      windowEnd: task.windowEnd,
      radiusMeters: task.radiusMeters,
      estimatedMinutes: task.estimatedMinutes,
    },
  };
}

/** Parses `minLon,minLat,maxLon,maxLat`; null when it is not four numbers. */
export function parseBbox(value: string): BoundingBox | null {
  const parts = value.split(',');
  if (parts.length !== 4 || parts.some((p) => !/^\s*-?\d{1,3}(\.\d{1,12})?\s*$/.test(p)))
    return null;
  const [west, south, east, north] = parts.map(Number) as [number, number, number, number];
  return { south, west, north, east };
}
