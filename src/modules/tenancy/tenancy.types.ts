import type { Locale, LocalizedText } from '../../shared/locales.js';

export type Position = [number, number];
export type BoundaryGeometry =
  | { type: 'Polygon'; coordinates: Position[][] }
  | { type: 'MultiPolygon'; coordinates: Position[][][] };

export interface Region {
  id: string;
  slug: string;
  names: LocalizedText;
  demo: boolean;
}

export interface Municipality {
  id: string;
  regionId: string;
  slug: string;
  nisCode: string | null;
  names: LocalizedText;
  defaultLocale: Locale;
  registeredHouseholds: number;
  pointValueCents: number;
  /** Points expire this many months after they were earned; null: they never expire. */
  pointsExpiryMonths: number | null;
  hasBoundary: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface MunicipalityWithBoundary extends Municipality {
  boundary: BoundaryGeometry | null;
}

export interface MunicipalityInput {
  slug: string;
  nisCode?: string | null;
  names: LocalizedText;
  defaultLocale: Locale;
  registeredHouseholds: number;
  pointValueCents: number;
  pointsExpiryMonths?: number | null;
  boundary?: BoundaryGeometry | null;
}

export interface RegionInput {
  slug: string;
  names: LocalizedText;
  demo: boolean;
}
