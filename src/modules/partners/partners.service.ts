import type { ServiceContext } from '../../shared/context.js';
import { DomainError, invalidInput } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import { authorize } from '../../shared/policy.js';
import {
  API_KEY_SCOPES,
  type ApiKeyScope,
  PARTNER_KINDS,
  type PartnerKind,
} from '../../shared/roles.js';
import { isUniqueViolation } from '../../storage/errors.js';
import { inTransaction } from '../../storage/transaction.js';
import { recordAudit } from '../audit/audit.service.js';
import * as keys from './api-keys.repository.js';
import { hashApiKey, newApiKeySecret } from './api-keys.rules.js';
import * as repo from './partners.repository.js';
import type { ApiKey, Partner, PartnerLocation } from './partners.types.js';

/**
 * Partner organisations of a municipality (merchants, facilities, charities, recycling centres,
 * energy providers) and the API keys their systems use. Municipal admins manage partners; a
 * partner's own `partner_admin` manages its keys.
 */

/**
 * Creates a partner in the municipality. Outcomes: the partner; `invalid_input`;
 * `partner_exists` (same name); `not_signed_in`, `permission_denied`, `not_found`.
 */
export async function createPartner(
  ctx: ServiceContext,
  municipalityId: string,
  input: { name: string; kind: PartnerKind },
): Promise<Partner> {
  authorize(ctx, 'partners.manage', municipalityId);
  const name = input.name.trim();
  const errors = [];
  if (!name || name.length > 120)
    errors.push({ field: 'name', code: 'length', message: 'Give a name of 1 to 120 characters.' });
  if (!(PARTNER_KINDS as readonly string[]).includes(input.kind))
    errors.push({ field: 'kind', code: 'enum', message: `Kinds are ${PARTNER_KINDS.join(', ')}.` });
  if (errors.length > 0) throw invalidInput(errors);
  const now = ctx.clock.now().toISOString();
  const partner: Partner = {
    id: newId('ptn', ctx.clock.now()),
    municipalityId,
    name,
    kind: input.kind,
    status: 'active',
    createdAt: now,
    updatedAt: now,
  };
  try {
    await inTransaction(ctx.db, async (db) => {
      await repo.insertPartner(db, partner);
      await recordAudit(
        { ...ctx, db },
        {
          municipalityId,
          action: 'partner.created',
          subjectType: 'partner',
          subjectId: partner.id,
          after: { name: partner.name, kind: partner.kind, status: partner.status },
        },
      );
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new DomainError('partner_exists', 'conflict', 'A partner with this name exists here.');
    }
    throw error;
  }
  return partner;
}

/**
 * The partner a partner-permission actor belongs to, or the one named for staff of its
 * municipality. Outcomes: the partner; `partner_not_found` (also for another municipality's).
 */
export async function getPartner(
  ctx: ServiceContext,
  municipalityId: string,
  partnerId: string,
): Promise<Partner> {
  const partner = await repo.findPartner(ctx.db, municipalityId, partnerId);
  if (!partner) throw new DomainError('partner_not_found', 'not_found', 'No such partner here.');
  return partner;
}

/**
 * Creates an API key for the partner with the given scopes; the secret is returned here once and
 * never again (only its hash is kept). Needs `partner.manage` of that partner, or
 * `partners.manage` in its municipality. Outcomes: the key and its secret; `invalid_input`;
 * `partner_not_found`; `not_signed_in`, `permission_denied`.
 */
export async function createApiKey(
  ctx: ServiceContext,
  partner: Partner,
  input: { name: string; scopes: ApiKeyScope[] },
): Promise<{ key: ApiKey; secret: string }> {
  authorizePartnerAdmin(ctx, partner);
  const name = input.name.trim();
  const errors = [];
  if (!name || name.length > 80)
    errors.push({ field: 'name', code: 'length', message: 'Give a name of 1 to 80 characters.' });
  const wrong = input.scopes.filter((s) => !(API_KEY_SCOPES as readonly string[]).includes(s));
  if (input.scopes.length === 0 || wrong.length > 0)
    errors.push({
      field: 'scopes',
      code: 'enum',
      message: `Scopes are ${API_KEY_SCOPES.join(', ')}.`,
    });
  if (errors.length > 0) throw invalidInput(errors);
  const now = ctx.clock.now();
  const secret = newApiKeySecret();
  const key: ApiKey = {
    id: newId('key', now),
    partnerId: partner.id,
    municipalityId: partner.municipalityId,
    name,
    scopes: [...new Set(input.scopes)],
    createdBy: actingId(ctx),
    createdAt: now.toISOString(),
    lastUsedAt: null,
    revokedAt: null,
    replacedBy: null,
  };
  await inTransaction(ctx.db, async (db) => {
    await keys.insertKey(db, key, hashApiKey(secret));
    await recordAudit(
      { ...ctx, db },
      {
        municipalityId: partner.municipalityId,
        action: 'api_key.created',
        subjectType: 'api_key',
        subjectId: key.id,
        after: { partnerId: partner.id, name: key.name, scopes: key.scopes },
      },
    );
  });
  return { key, secret };
}

/** Partner admins manage their own partner; municipal admins (and operators) any of theirs. */
export function authorizePartnerAdmin(ctx: ServiceContext, partner: Partner) {
  const { actor } = ctx;
  if (actor.kind === 'partner_user' || actor.kind === 'api_key') {
    if (actor.partnerId !== partner.id) {
      throw new DomainError('partner_not_found', 'not_found', 'No such partner here.');
    }
    authorize(ctx, 'partner.manage');
    return;
  }
  authorize(ctx, 'partners.manage', partner.municipalityId);
}

function actingId(ctx: ServiceContext): string {
  const { actor } = ctx;
  if ('userId' in actor) return actor.userId;
  if (actor.kind === 'api_key') return actor.keyId;
  return actor.kind;
}

/**
 * The partner of the municipality with exactly this name, if any (for seeds and imports that
 * must not create it twice). Outcomes: the partner or undefined; `not_signed_in`,
 * `permission_denied`, `not_found`.
 */
export async function findPartnerByName(
  ctx: ServiceContext,
  municipalityId: string,
  name: string,
): Promise<Partner | undefined> {
  authorize(ctx, 'partners.read', municipalityId);
  return repo.findPartnerByName(ctx.db, municipalityId, name.trim());
}

/**
 * Adds a location (address and coordinates) to a partner; needs the same rights as managing the
 * partner. Outcomes: the location; `invalid_input`; `partner_not_found`; `not_signed_in`,
 * `permission_denied`.
 */
export async function addPartnerLocation(
  ctx: ServiceContext,
  partner: Partner,
  input: { name: string; address: string; latitude: number; longitude: number },
): Promise<PartnerLocation> {
  authorizePartnerAdmin(ctx, partner);
  const name = input.name.trim();
  const address = input.address.trim();
  const errors = [];
  if (!name || name.length > 120)
    errors.push({ field: 'name', code: 'length', message: 'Give a name of 1 to 120 characters.' });
  if (!address || address.length > 200)
    errors.push({ field: 'address', code: 'length', message: 'Give an address.' });
  if (!Number.isFinite(input.latitude) || Math.abs(input.latitude) > 90)
    errors.push({ field: 'latitude', code: 'range', message: 'Latitude is -90 to 90.' });
  if (!Number.isFinite(input.longitude) || Math.abs(input.longitude) > 180)
    errors.push({ field: 'longitude', code: 'range', message: 'Longitude is -180 to 180.' });
  if (errors.length > 0) throw invalidInput(errors);
  const now = ctx.clock.now();
  const location: PartnerLocation = {
    id: newId('loc', now),
    partnerId: partner.id,
    municipalityId: partner.municipalityId,
    name,
    address,
    latitude: input.latitude,
    longitude: input.longitude,
    createdAt: now.toISOString(),
  };
  await inTransaction(ctx.db, async (db) => {
    await repo.insertLocation(db, location);
    await recordAudit(
      { ...ctx, db },
      {
        municipalityId: partner.municipalityId,
        action: 'partner_location.added',
        subjectType: 'partner',
        subjectId: partner.id,
        after: {
          locationId: location.id,
          name,
          address,
          latitude: location.latitude,
          longitude: location.longitude,
        },
      },
    );
  });
  return location;
}

/** A partner's locations (not removed). Outcomes: the list; refusals as for reading partners. */
export async function listPartnerLocations(
  ctx: ServiceContext,
  partner: Partner,
): Promise<PartnerLocation[]> {
  authorize(ctx, 'partners.read', partner.municipalityId);
  return repo.listLocations(ctx.db, partner.municipalityId, partner.id);
}
