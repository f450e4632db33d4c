// `.js` so that test/web (NodeNext resolution) can import this file too.
import type { Locale } from '../i18n/locales.js';
import { type Bounds, bboxParam, type MapPin } from './mapTypes.js';

type LocalizedText = Record<Locale, string>;

/**
 * The public GeoJSON feeds of open tasks and of reports (`/api/geo/tasks.geojson`,
 * `/api/geo/reports.geojson`; docs/geo.md): no personal data, a point per feature.
 */

export type PlaceKind = 'task' | 'report';

export interface FeedProperties {
  id: string;
  kind: PlaceKind;
  /** The task's title or the report's category name, per language. */
  names: LocalizedText;
  status: string;
  /** Reports: the finer state (acknowledged, in_progress, fixed…). */
  subStatus?: string;
  municipality: string;
  createdAt: string;
  // Tasks only.
  bounty?: number;
  slotsLeft?: number;
  windowStart?: string | null;
  windowEnd?: string | null;
  estimatedMinutes?: number;
}

export interface FeedFeature {
  type: 'Feature';
  geometry: { type: 'Point'; coordinates: [number, number] };
  properties: FeedProperties;
}

export interface FeatureCollection {
  type: 'FeatureCollection';
  features: FeedFeature[];
}

/** One thing on the map and in the list beside it. */
export interface Place {
  id: string;
  kind: PlaceKind;
  lat: number;
  lon: number;
  properties: FeedProperties;
}

export function feedPath(kind: PlaceKind, bounds: Bounds, municipality: string | null): string {
  const query = new URLSearchParams({ bbox: bboxParam(bounds) });
  if (municipality) query.set('municipality', municipality);
  return `/api/geo/${kind}s.geojson?${query}`;
}

/** The features of a feed as places, leaving out any without a usable point. */
export function placesOf(kind: PlaceKind, collection: FeatureCollection): Place[] {
  return (collection.features ?? []).flatMap((feature) => {
    const [lon, lat] = feature.geometry?.coordinates ?? [];
    if (typeof lat !== 'number' || typeof lon !== 'number') return [];
    return [{ id: String(feature.properties.id), kind, lat, lon, properties: feature.properties }];
  });
}

/** A place's name in the reader's language (English, then any, when that one is missing). */
export function placeName(place: Place, locale: Locale): string {
  const names = place.properties.names ?? ({} as Partial<LocalizedText>);
  return names[locale] || names.en || Object.values(names).find(Boolean) || place.id;
}

export function pinsOf(places: Place[], label: (place: Place) => string): MapPin[] {
  return places.map((p) => ({
    id: `${p.kind}:${p.id}`,
    kind: p.kind,
    lat: p.lat,
    lon: p.lon,
    label: label(p),
  }));
}
