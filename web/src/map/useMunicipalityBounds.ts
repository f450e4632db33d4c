import { useMemo } from 'react';
import type { MunicipalityDetail } from '../api/types';
import { useApiResource } from '../api/useApiResource';
import { ringsOf } from '../geo/project';
import { type Bounds, boundsOfPositions } from './mapTypes';

/** The box around a municipality's boundary (null while loading, or without a boundary). */
export function useMunicipalityBounds(slug: string | null): Bounds | null {
  const detail = useApiResource<MunicipalityDetail>(
    slug ? `/api/municipalities/${encodeURIComponent(slug)}` : '/api/municipalities/-',
  );
  const boundary = slug && detail.status === 'ready' ? detail.data.boundary : null;
  return useMemo(() => (boundary ? boundsOfPositions(ringsOf(boundary).flat()) : null), [boundary]);
}
