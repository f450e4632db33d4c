import { useEffect, useState } from 'react';
import { ApiError, getJson } from '../api/client';
import type { LocalizedText } from '../api/types';
import type { Locale } from '../i18n/locales';
import { type Bounds, bboxParam, type MapPin } from './mapTypes';

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

export type FeedsState =
  | { status: 'idle' }
  | { status: 'loading'; places: Place[] }
  | { status: 'ready'; places: Place[] }
  | { status: 'error'; places: Place[]; error: ApiError };

/**
 * The places of the chosen kinds in `bounds` (and `municipality`, when given), fetched again
 * when they change; the places already shown stay while the next ones load.
 */
export function useFeeds(
  kinds: PlaceKind[],
  bounds: Bounds | null,
  municipality: string | null,
  attempt = 0,
): FeedsState {
  const [state, setState] = useState<FeedsState>({ status: 'idle' });
  const key = bounds ? kinds.map((k) => feedPath(k, bounds, municipality)).join('|') : '';

  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for kinds, bounds and municipality; `attempt` re-runs it.
  useEffect(() => {
    if (!key) return;
    const controller = new AbortController();
    setState((previous) => ({
      status: 'loading',
      places: previous.status === 'idle' ? [] : previous.places,
    }));
    // Each feed on its own: one that fails leaves the other's places on the map.
    Promise.allSettled(
      key
        .split('|')
        .map((path, i) =>
          getJson<FeatureCollection>(path, controller.signal).then((c) =>
            placesOf(kinds[i] as PlaceKind, c),
          ),
        ),
    ).then((results) => {
      if (controller.signal.aborted) return;
      const places = results.flatMap((r) => (r.status === 'fulfilled' ? r.value : []));
      const failed = results.find((r) => r.status === 'rejected');
      if (!failed) {
        setState({ status: 'ready', places });
        return;
      }
      const error = failed.reason;
      setState({
        status: 'error',
        places,
        error: error instanceof ApiError ? error : new ApiError('network', null, null),
      });
    });
    return () => controller.abort();
  }, [key, attempt]);

  return key ? state : { status: 'ready', places: [] };
}
