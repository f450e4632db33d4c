import type { Locale } from '../i18n/locales';

// Shapes of the CivicPoints HTTP API (JSON, camelCase) that the web app reads.

export type LocalizedText = Record<Locale, string>;

export interface Region {
  slug: string;
  names: LocalizedText;
  demo: boolean;
  /** The map's tile layer: a Leaflet URL template and its plain-text attribution. */
  mapTiles: { url: string; attribution: string };
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
  /** Facts of a refusal, e.g. when a reached limit resets. */
  details?: Record<string, unknown>;
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

/** One of the signed-in resident's passkeys (GET /api/me/passkeys). */
export interface Passkey {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
}

/** A staff member, operator admin or partner user (GET /api/users/me, the staff list). */
export interface User {
  id: string;
  kind: 'staff' | 'operator' | 'partner';
  municipalityId: string | null;
  partnerId: string | null;
  email: string;
  displayName: string;
  roles: string[];
  preferredLocale: Locale;
  status: 'invited' | 'active' | 'disabled';
  createdAt: string;
  lastSignInAt: string | null;
}

/** The signed-in user, their municipality's slug (none for operators) and the CSRF token. */
export interface MyUser {
  user: User;
  municipalitySlug: string | null;
  csrfToken: string;
}

/** One audit log entry: who (and with which roles) did what to what, when, before and after. */
export interface AuditEvent {
  id: string;
  municipalityId: string | null;
  actorKind: string;
  actorId: string;
  actorRoles: string[];
  action: string;
  subjectType: string;
  subjectId: string;
  before: unknown;
  after: unknown;
  requestId: string | null;
  occurredAt: string;
}

export interface AuditPage {
  items: AuditEvent[];
  next: string | null;
}

/** A resident as staff of their municipality see them. */
export interface ResidentSummary {
  id: string;
  municipalityId: string;
  email: string | null;
  displayName: string | null;
  preferredLocale: Locale;
  memberCode: string;
  createdAt: string;
}

export interface WalletMovement {
  id: string;
  at: string;
  points: number;
  code: string;
  reference: string | null;
  status: 'held' | 'done' | 'released';
}

export interface WalletHistory {
  items: WalletMovement[];
  next: string | null;
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
