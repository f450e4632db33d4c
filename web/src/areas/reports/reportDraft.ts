import { useEffect, useState } from 'react';
import type { LatLon } from '../../map/mapTypes';
import type { AttributeValue } from './reportsApi';

/** What a person typed in the report form, kept for the tab so a dropped network loses nothing. */
export interface ReportDraft {
  municipality: string | null;
  category: string;
  attributes: Record<string, AttributeValue>;
  point: LatLon | null;
  address: string;
  description: string;
  email: string;
  showName: boolean;
  photo: { id: string; width: number; height: number } | null;
}

const KEY = 'civicpoints.reportDraft';

export const EMPTY_DRAFT: ReportDraft = {
  municipality: null,
  category: '',
  attributes: {},
  point: null,
  address: '',
  description: '',
  email: '',
  showName: false,
  photo: null,
};

function read(): ReportDraft {
  try {
    const raw = sessionStorage.getItem(KEY);
    if (!raw) return EMPTY_DRAFT;
    const value = JSON.parse(raw) as Partial<ReportDraft>;
    const point = value.point;
    return {
      ...EMPTY_DRAFT,
      municipality: typeof value.municipality === 'string' ? value.municipality : null,
      category: typeof value.category === 'string' ? value.category : '',
      attributes: value.attributes && typeof value.attributes === 'object' ? value.attributes : {},
      point:
        point && Number.isFinite(point.lat) && Number.isFinite(point.lon)
          ? { lat: point.lat, lon: point.lon }
          : null,
      address: typeof value.address === 'string' ? value.address : '',
      description: typeof value.description === 'string' ? value.description : '',
      email: typeof value.email === 'string' ? value.email : '',
      showName: value.showName === true,
      photo: value.photo && typeof value.photo.id === 'string' ? value.photo : null,
    };
  } catch {
    return EMPTY_DRAFT;
  }
}

/** The draft, saved to `sessionStorage` on every change; `clear` forgets it (after sending). */
export function useReportDraft(): [
  ReportDraft,
  (change: Partial<ReportDraft>) => void,
  () => void,
] {
  const [draft, setDraft] = useState<ReportDraft>(read);
  useEffect(() => {
    try {
      sessionStorage.setItem(KEY, JSON.stringify(draft));
    } catch {
      // Storage can be unavailable; the form still works for this page.
    }
  }, [draft]);
  return [
    draft,
    (change) => setDraft((previous) => ({ ...previous, ...change })),
    () => {
      try {
        sessionStorage.removeItem(KEY);
      } catch {
        // As above.
      }
      setDraft(EMPTY_DRAFT);
    },
  ];
}
