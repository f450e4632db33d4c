import type { ServiceContext } from '../../shared/context.js';
import { DomainError, type FieldError } from '../../shared/errors.js';
import { authorize } from '../../shared/policy.js';
import { API_KEY_SCOPES, PARTNER_KINDS } from '../../shared/roles.js';
import type { Partner } from './partners.types.js';

/** Pure rules of partner organisations: who manages them, and what valid input looks like. */

export const PARTNER_NAME_MAX = 120;
export const LOCATION_NAME_MAX = 120;
export const LOCATION_ADDRESS_MAX = 300;
export const API_KEY_NAME_MAX = 80;

export const partnerNotFound = () =>
  new DomainError('partner_not_found', 'not_found', 'No such partner here.');

/**
 * Partner admins (and a partner's own systems, which never hold `partner.manage`) manage their
 * own partner; municipal admins and operators any partner of theirs. Another partner's, or
 * another municipality's, is `partner_not_found`. Outcomes: nothing; `partner_not_found`;
 * `not_signed_in`, `permission_denied`, `not_found`.
 */
export function authorizePartnerAdmin(ctx: ServiceContext, partner: Partner) {
  const { actor } = ctx;
  if (actor.kind === 'partner_user' || actor.kind === 'api_key') {
    if (actor.partnerId !== partner.id) throw partnerNotFound();
    authorize(ctx, 'partner.manage');
    return;
  }
  authorize(ctx, 'partners.manage', partner.municipalityId);
}

const lengthError = (field: string, value: string, max: number): FieldError[] =>
  value.length === 0 || value.length > max
    ? [{ field, code: 'length', message: `Give a ${field} of 1 to ${max} characters.` }]
    : [];

/** Problems with a partner's name and kind (either may be absent on an update). */
export function partnerInputErrors(input: { name?: string; kind?: string }): FieldError[] {
  const errors: FieldError[] = [];
  if (input.name !== undefined) errors.push(...lengthError('name', input.name, PARTNER_NAME_MAX));
  if (input.kind !== undefined && !(PARTNER_KINDS as readonly string[]).includes(input.kind)) {
    errors.push({ field: 'kind', code: 'enum', message: `Kinds are ${PARTNER_KINDS.join(', ')}.` });
  }
  return errors;
}

export interface LocationInput {
  name?: string;
  address?: string;
  latitude?: number;
  longitude?: number;
}

/** Problems with a location's fields (any may be absent on an update). */
export function locationInputErrors(input: LocationInput): FieldError[] {
  const errors: FieldError[] = [];
  if (input.name !== undefined) errors.push(...lengthError('name', input.name, LOCATION_NAME_MAX));
  if (input.address !== undefined) {
    errors.push(...lengthError('address', input.address, LOCATION_ADDRESS_MAX));
  }
  const coordinate = (field: 'latitude' | 'longitude', limit: number) => {
    const value = input[field];
    if (value === undefined) return;
    if (!Number.isFinite(value) || Math.abs(value) > limit) {
      errors.push({
        field,
        code: 'range',
        message: `Give ${field} in degrees, from -${limit} to ${limit}.`,
      });
    }
  };
  coordinate('latitude', 90);
  coordinate('longitude', 180);
  return errors;
}

/** Problems with an API key's name and scopes. */
export function apiKeyInputErrors(input: { name: string; scopes: readonly string[] }) {
  const errors = lengthError('name', input.name, API_KEY_NAME_MAX);
  const wrong = input.scopes.filter((s) => !(API_KEY_SCOPES as readonly string[]).includes(s));
  if (input.scopes.length === 0 || wrong.length > 0) {
    errors.push({
      field: 'scopes',
      code: 'enum',
      message: `Give one or more scopes of ${API_KEY_SCOPES.join(', ')}.`,
    });
  }
  return errors;
}

/** Trims the text fields that are present. */
export function trimmed<T extends object>(input: T): T {
  return Object.fromEntries(
    Object.entries(input).map(([k, v]) => [k, typeof v === 'string' ? v.trim() : v]),
  ) as T;
}
