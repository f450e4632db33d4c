import { type RawBuilder, sql } from 'kysely';
import type { BoundingBox } from '../shared/geo-grid.js';

/** Where to look: a whole municipality, or a box of latitudes and longitudes. */
export type AreaFilter = { municipalityId: string } | { box: BoundingBox };

/**
 * `latitude`/`longitude` inside the box (edges included), for a query on one table with those
 * columns; written as four comparisons so an index on either column can serve it.
 */
export function withinBox(box: BoundingBox): RawBuilder<boolean> {
  return sql<boolean>`latitude >= ${box.south} and latitude <= ${box.north} and longitude >= ${box.west} and longitude <= ${box.east}`;
}
