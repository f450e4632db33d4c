import type { Locale } from '../i18n/locales';

// Shapes of the CivicPoints HTTP API (JSON, camelCase) that the web app reads.

export type LocalizedText = Record<Locale, string>;

export interface Region {
  slug: string;
  names: LocalizedText;
  demo: boolean;
}

export interface Municipality {
  id: string;
  slug: string;
  nisCode: string | null;
  names: LocalizedText;
  defaultLocale: Locale;
  registeredHouseholds: number;
  pointValueCents: number;
  hasBoundary: boolean;
}

export type Position = [number, number] | [number, number, number];

/** GeoJSON (RFC 7946) geometry of a municipality's boundary, lon/lat in WGS84. */
export type BoundaryGeometry =
  | { type: 'Polygon'; coordinates: Position[][] }
  | { type: 'MultiPolygon'; coordinates: Position[][][] };

export interface MunicipalityDetail extends Municipality {
  boundary: BoundaryGeometry | null;
}

export interface MunicipalityList {
  items: Municipality[];
}

/** RFC 9457 problem details as the API sends them. */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  code?: string;
  detail?: string;
  errors?: { field: string; code: string; message: string }[];
}

/** The signed-in resident (GET /api/me). */
export interface Me {
  id: string;
  municipalityId: string;
  /** Null for a resident registered at the desk without an address. */
  email: string | null;
  displayName: string | null;
  preferredLocale: Locale;
  memberCode: string;
  csrfToken: string;
}

/** The signed-in resident's points (GET /api/me/wallet). */
export interface Wallet {
  points: number;
  held: number;
  pointValueCents: number;
  expiring: { expiresAt: string; points: number }[];
}
