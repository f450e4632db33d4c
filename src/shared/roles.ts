/** The roles of people who work with CivicPoints and the scopes of partners' API keys. */

/** Municipal staff: `admin` (catalogue, settings, staff, partners), `reviewer`, `finance`, `analyst`. */
export const STAFF_ROLES = ['admin', 'reviewer', 'finance', 'analyst'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** A partner organisation's users. */
export const PARTNER_ROLES = ['partner_admin', 'cashier', 'confirmer'] as const;
export type PartnerRole = (typeof PARTNER_ROLES)[number];

/** What a partner's API key may do; a key carries only the scopes it was given. */
export const API_KEY_SCOPES = [
  'partner:read',
  'claims:confirm',
  'visits:import',
  'vouchers:redeem',
  'reports:submit',
] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

export const PARTNER_KINDS = [
  'merchant',
  'facility',
  'charity',
  'recycling_centre',
  'energy_provider',
] as const;
export type PartnerKind = (typeof PARTNER_KINDS)[number];
