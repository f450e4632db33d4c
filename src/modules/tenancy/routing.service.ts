import type { ServiceContext } from '../../shared/context.js';
import { DomainError } from '../../shared/errors.js';
import { isValidCoordinate } from '../../shared/geo.js';
import { insideBoundary } from './routing.rules.js';
import * as repo from './tenancy.repository.js';

/**
 * Routing a point (a report, a task) to the municipality it lies in, among the region's
 * boundaries. The boundaries are kept per process for a few seconds (they change rarely).
 */

const CACHE_MS = 5000;
const caches = new WeakMap<
  object,
  { readAt: number; boundaries: Awaited<ReturnType<typeof repo.listBoundaries>> }
>();

/**
 * The municipality whose boundary holds the point. Outcomes: its id and slug;
 * `invalid_input` (not a coordinate); `outside_region` (in none of the municipalities).
 */
export async function municipalityAt(
  ctx: ServiceContext,
  latitude: number,
  longitude: number,
): Promise<{ id: string; slug: string }> {
  if (!isValidCoordinate(latitude, longitude)) {
    throw new DomainError(
      'invalid_input',
      'invalid',
      'Give a latitude and a longitude in degrees.',
      {
        fieldErrors: [
          { field: '/latitude', code: 'range', message: 'latitude -90..90, longitude -180..180' },
        ],
      },
    );
  }
  let cache = caches.get(ctx.storage);
  if (!cache || Date.now() - cache.readAt > CACHE_MS) {
    cache = { readAt: Date.now(), boundaries: await repo.listBoundaries(ctx.db) };
    caches.set(ctx.storage, cache);
  }
  const found = cache.boundaries.find((m) => insideBoundary(longitude, latitude, m.boundary));
  if (!found) {
    throw new DomainError(
      'outside_region',
      'invalid',
      'This place is outside every municipality of the region.',
      {
        details: { latitude, longitude },
      },
    );
  }
  return { id: found.id, slug: found.slug };
}
