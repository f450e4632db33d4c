import type { LocalizedText } from '../../../api/types';
import { intlLocale } from '../../../i18n/format';
import type { Locale } from '../../../i18n/locales';
import type { PartnerRole } from '../partnersApi';

// Shapes of the partner side of earning (src/modules/claims/confirmations.schemas.ts) and the
// partner portal's jobs.

export type Unit = 'kg' | 'hour' | 'item';

/** An activity the partner may confirm (GET /api/partner/activities; the fields read here). */
export interface ConfirmableActivity {
  id: string;
  code: string;
  current: {
    names: LocalizedText;
    points:
      | { mode: 'fixed'; points: number }
      | { mode: 'per_unit'; unit: Unit; pointsPerUnit: number; maxPointsPerClaim: number };
  };
}

/** A confirmation as the partner sees it (the resident by member code only). */
export interface Confirmation {
  id: string;
  activity: { id: string; code: string | null; names: LocalizedText };
  memberCode: string;
  quantity: number;
  unit: Unit | null;
  points: number;
  requestedPoints: number;
  status: 'submitted' | 'approved' | 'rejected' | 'withdrawn';
  occurredAt: string;
  confirmedAt: string;
  externalId: string | null;
  note: string | null;
}

/** The code a location's kiosk shows now (GET /api/partner/locations/:id/site-code). */
export interface SiteCode {
  locationId: string;
  locationName: string;
  code: string;
  validUntil: string;
  secondsLeft: number;
}

export const CONFIRMATIONS_PATH = '/api/partner/confirmations';
export const ACTIVITIES_PATH = '/api/partner/activities';
export const siteCodePath = (locationId: string) =>
  `/api/partner/locations/${encodeURIComponent(locationId)}/site-code`;

/**
 * The partner portal's jobs, each for the roles that may do it (mirroring src/shared/policy.ts:
 * the API decides; this only keeps the navigation to what it will allow). Other jobs (uploading
 * a file of visits) add themselves here.
 */
export const PARTNER_PAGES = [
  { key: 'home', path: '/partner', roles: ['partner_admin', 'cashier', 'confirmer'] },
  { key: 'pos', path: '/partner/pos', roles: ['partner_admin', 'cashier'] },
  { key: 'confirm', path: '/partner/confirm', roles: ['partner_admin', 'confirmer'] },
  { key: 'kiosk', path: '/partner/kiosk', roles: ['partner_admin', 'cashier', 'confirmer'] },
  { key: 'visitImports', path: '/partner/visit-imports', roles: ['partner_admin', 'confirmer'] },
  { key: 'apiKeys', path: '/partner/api-keys', roles: ['partner_admin'] },
] as const satisfies readonly { key: string; path: string; roles: readonly PartnerRole[] }[];
export type PartnerPage = (typeof PARTNER_PAGES)[number];

/** The jobs a partner user with these roles may do, in navigation order. */
export function partnerPagesFor(roles: readonly string[]): PartnerPage[] {
  return PARTNER_PAGES.filter((page) =>
    (page.roles as readonly string[]).some((role) => roles.includes(role)),
  );
}

/** A member code as scanned or typed, tidied for the field: upper case, no stray spaces. */
export function tidyMemberCode(value: string): string {
  return value.trim().toUpperCase().replace(/\s+/g, '');
}

/** The six digits of a site code in two groups of three, easier to read from afar. */
export function groupSiteCode(code: string): [string, string] {
  return [code.slice(0, 3), code.slice(3)];
}

/** A quantity (hours, kg) in the locale, with at most 3 decimals: "2,5" in Dutch. */
export function formatQuantity(value: number, locale: Locale): string {
  return new Intl.NumberFormat(intlLocale(locale), { maximumFractionDigits: 3 }).format(value);
}
