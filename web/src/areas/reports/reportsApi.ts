import { postJson, sendJson } from '../../api/client';
import type { LocalizedText } from '../../api/types';
import { useApiResource } from '../../api/useApiResource';
import type { Locale } from '../../i18n/locales';

/** Shapes and calls of the reports API (docs/api.md, "Reports"). */

export type AttributeDatatype =
  | 'string'
  | 'number'
  | 'datetime'
  | 'text'
  | 'singlevaluelist'
  | 'multivaluelist';

export interface CategoryAttribute {
  code: string;
  datatype: AttributeDatatype;
  required: boolean;
  order: number;
  descriptions: LocalizedText;
  values: { key: string; names: LocalizedText }[];
}

export interface ReportCategory {
  id: string;
  code: string;
  names: LocalizedText;
  descriptions: Partial<LocalizedText>;
  group: string | null;
  keywords: string[];
  attributes: CategoryAttribute[];
  status: 'active' | 'archived';
  order: number;
}

export type AttributeValue = string | number | string[];

export type ReportStatus = 'pending' | 'open' | 'closed';
export type SubStatus =
  | 'unconfirmed'
  | 'submitted'
  | 'acknowledged'
  | 'in_progress'
  | 'fixed'
  | 'not_responsible'
  | 'duplicate'
  | 'no_further_action';

export interface ReportUpdate {
  status: ReportStatus;
  subStatus: SubStatus;
  note: string | null;
  at: string;
}

export interface PublicReport {
  id: string;
  municipality: string;
  category: { code: string; names: LocalizedText; group: string | null };
  latitude: number;
  longitude: number;
  address: string | null;
  description: string | null;
  attributes: Record<string, AttributeValue>;
  status: ReportStatus;
  subStatus: SubStatus;
  reporterName: string | null;
  followers: number;
  photos: string[];
  duplicateOf: string | null;
  updates: ReportUpdate[];
  createdAt: string;
  updatedAt: string;
}

export interface NearbyReport {
  id: string;
  category: { code: string; names: LocalizedText };
  latitude: number;
  longitude: number;
  distanceMeters: number;
  description: string | null;
  status: ReportStatus;
  subStatus: SubStatus;
  followers: number;
  createdAt: string;
}

export interface ReportInput {
  category: string;
  latitude: number;
  longitude: number;
  municipality?: string;
  address?: string;
  description: string;
  attributes?: Record<string, AttributeValue>;
  photoIds?: string[];
  showName?: boolean;
  email?: string;
  locale?: Locale;
}

/** At most this many characters of description (the API says `too_long` past it). */
export const MAX_DESCRIPTION = 4000;

/** How far "me too" suggestions reach, in metres. */
export const NEARBY_RADIUS = 250;

export function useReportCategories(slug: string | null) {
  return useApiResource<{ items: ReportCategory[] }>(
    slug
      ? `/api/municipalities/${encodeURIComponent(slug)}/report-categories`
      : '/api/municipalities/-/report-categories',
  );
}

export const nearbyPath = (lat: number, lon: number, category: string) =>
  `/api/reports/nearby?${new URLSearchParams({
    lat: lat.toFixed(6),
    lon: lon.toFixed(6),
    category,
    radius: String(NEARBY_RADIUS),
  })}`;

export function sendReport(input: ReportInput) {
  return postJson<{ report: PublicReport; needsConfirmation: boolean }>('/api/reports', input);
}

export function confirmReport(token: string) {
  return postJson<PublicReport>('/api/reports/confirm', { token });
}

export function followReport(id: string) {
  return postJson<{ following: boolean; followers: number }>(
    `/api/reports/${encodeURIComponent(id)}/follow`,
  );
}

export function unfollowReport(id: string) {
  return sendJson<void>('DELETE', `/api/reports/${encodeURIComponent(id)}/follow`);
}

export function useReport(id: string) {
  return useApiResource<PublicReport>(`/api/reports/${encodeURIComponent(id)}`, { cache: false });
}

export function useMyReports() {
  return useApiResource<{ reported: PublicReport[]; followed: PublicReport[] }>('/api/me/reports', {
    cache: false,
  });
}

export const reportPhotoUrl = (reportId: string, photoId: string) =>
  `/api/reports/${encodeURIComponent(reportId)}/photos/${encodeURIComponent(photoId)}`;
