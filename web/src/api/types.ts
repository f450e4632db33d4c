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
  email: string;
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

/** The signed-in resident's household (GET /api/me/household). */
export interface Household {
  id: string;
  address: string;
  inviteCode: string;
  members: number;
  createdAt: string;
  verified: boolean;
  verifiedAt: string | null;
}

export type RegisterEntryStatus = 'no_letter' | 'letter_printed' | 'verified' | 'not_in_register';

/** The municipal household register as staff see it (GET …/household-register). */
export interface RegisterPage {
  summary: {
    households: number;
    verified: number;
    lettersWaiting: number;
    noLongerInRegister: number;
    lastImportAt: string | null;
  };
  items: {
    id: string;
    reference: string;
    address: string;
    members: number;
    locale: Locale | null;
    status: RegisterEntryStatus;
  }[];
  total: number;
  offset: number;
  limit: number;
}

export interface RegisterImportResult {
  households: number;
  added: number;
  updated: number;
  unchanged: number;
  removed: number;
  keptVerified: number;
}
