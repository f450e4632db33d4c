import { useEffect, useState } from 'react';
import { ApiError, getJson } from '../api/client';
import type { Bounds } from './mapTypes';
import { type FeatureCollection, feedPath, type Place, type PlaceKind, placesOf } from './places';

/** Loading the public GeoJSON feeds of the map (see places.ts for what they hold). */

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

/** Whether the API refused the map's box as too large (zoomed out too far: zoom in). */
export function isViewTooLarge(error: ApiError): boolean {
  return error.errors.some((e) => e.field.endsWith('/bbox') && e.code === 'too_large');
}
