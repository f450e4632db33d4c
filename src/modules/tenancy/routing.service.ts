import type { ServiceContext } from '../../shared/context.js';
import { DomainError } from '../../shared/errors.js';
import { isValidCoordinate } from '../../shared/geo.js';
import type { Storage } from '../../storage/database.js';
import { type RoutedBoundary, RoutingIndex } from './routing.rules.js';
import * as repo from './tenancy.repository.js';

/**
 * Routing a point (a report, a task) to the municipality it lies in, among the region's
 * boundaries, through a spatial index (see RoutingIndex) built once per set of boundaries and
 * kept per process. A boundary changed by this process drops the index at once
 * (`forgetRoutingIndex`); one changed by another process is noticed within CHECK_MS, when a cheap
 * query for the boundaries' version (how many, last change) says the set is no longer the one
 * the index was built from.
 */

const CHECK_MS = 5000;

interface CachedIndex {
  checkedAt: number;
  version: string;
  index: RoutingIndex<RoutedBoundary>;
}

const caches = new WeakMap<Storage, { entry?: CachedIndex; generation: number }>();

function cacheOf(storage: Storage) {
  let cache = caches.get(storage);
  if (!cache) {
    cache = { generation: 0 };
    caches.set(storage, cache);
  }
  return cache;
}

/** Drops this process's routing index for the database: call after committing a boundary change. */
export function forgetRoutingIndex(ctx: Pick<ServiceContext, 'storage'>): void {
  const cache = cacheOf(ctx.storage);
  cache.generation++;
  cache.entry = undefined;
}

/** The index of the current boundaries, rebuilt only when they changed. */
export async function routingIndex(ctx: ServiceContext): Promise<RoutingIndex<RoutedBoundary>> {
  const cache = cacheOf(ctx.storage);
  const now = Date.now();
  const entry = cache.entry;
  if (entry && now - entry.checkedAt < CHECK_MS) return entry.index;
  const generation = cache.generation;
  const version = await repo.boundaryVersion(ctx.db);
  if (entry && entry.version === version) {
    entry.checkedAt = now;
    return entry.index;
  }
  const index = new RoutingIndex(await repo.listBoundaries(ctx.db));
  // A boundary changed here while this was read: do not keep what may already be stale.
  if (generation === cache.generation) cache.entry = { checkedAt: now, version, index };
  return index;
}

/**
 * The municipality whose boundary holds the point (the first by slug, should two overlap).
 * Outcomes: its id and slug; `invalid_input` (not a coordinate); `outside_region` (in none of
 * the municipalities).
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
  const found = (await routingIndex(ctx)).find(longitude, latitude);
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
