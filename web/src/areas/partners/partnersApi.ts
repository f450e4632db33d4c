import { ApiError, sendJson } from '../../api/client';
import type { Locale } from '../../i18n/locales';

// Shapes of the partners API (see src/modules/partners/partners.schemas.ts) the pages read.

export const PARTNER_KINDS = [
  'merchant',
  'facility',
  'charity',
  'recycling_centre',
  'energy_provider',
] as const;
export type PartnerKind = (typeof PARTNER_KINDS)[number];
export const PARTNER_ROLES = ['partner_admin', 'cashier', 'confirmer'] as const;
export type PartnerRole = (typeof PARTNER_ROLES)[number];
export const API_KEY_SCOPES = [
  'partner:read',
  'claims:confirm',
  'visits:import',
  'vouchers:redeem',
  'reports:submit',
] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

export interface Partner {
  id: string;
  municipalityId: string;
  name: string;
  kind: PartnerKind;
  status: 'active' | 'inactive';
  createdAt: string;
  updatedAt: string;
}

export interface PartnerLocation {
  id: string;
  name: string;
  address: string;
  latitude: number;
  longitude: number;
  createdAt: string;
}

export interface WorkUser {
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

export interface PartnerDetail extends Partner {
  locations: PartnerLocation[];
  users?: WorkUser[];
  apiKeys: { active: number; revoked: number; lastUsedAt: string | null };
}

export interface ApiKey {
  id: string;
  name: string;
  scopes: ApiKeyScope[];
  createdBy: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  replacedBy: string | null;
}

export interface IssuedKey {
  key: ApiKey;
  secret: string;
}

/** The signed-in staff member, operator or partner user (GET /api/users/me). */
export interface MyUser {
  user: WorkUser;
  municipalitySlug: string | null;
  csrfToken: string;
}

export const staffPartnersPath = (slug: string) =>
  `/api/municipalities/${encodeURIComponent(slug)}/partners`;
export const staffPartnerPath = (slug: string, partnerId: string) =>
  `${staffPartnersPath(slug)}/${encodeURIComponent(partnerId)}`;

/** Sends a change and reports failure as an ApiError, never anything else. */
export async function send<T>(
  method: 'POST' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<T> {
  try {
    return await sendJson<T>(method, path, body);
  } catch (error) {
    throw error instanceof ApiError ? error : new ApiError('network', null, null);
  }
}

// Light badges: text in shades dark enough for WCAG AA on their tint, never cut short.
const badge = (color: string) => ({
  root: { flexShrink: 0, height: 'auto', minHeight: 'var(--badge-height)' },
  label: { color, overflow: 'visible', whiteSpace: 'normal' as const, textOverflow: 'clip' },
});
export const OK_BADGE = badge('var(--mantine-color-civic-9)');
export const MUTED_BADGE = badge('var(--mantine-color-dark-7)');
