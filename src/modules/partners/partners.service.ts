import type { ServiceContext } from '../../shared/context.js';
import { DomainError, invalidInput } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import type { Locale } from '../../shared/locales.js';
import { authorize, decide } from '../../shared/policy.js';
import { cachePerStorage } from '../../shared/process-cache.js';
import type { PartnerKind, PartnerRole } from '../../shared/roles.js';
import { isUniqueViolation } from '../../storage/errors.js';
import { inTransaction } from '../../storage/transaction.js';
import { recordAudit } from '../audit/audit.service.js';
import type { User } from '../identity/identity.types.js';
import * as users from '../identity/users.service.js';
import { findMunicipalityById } from '../tenancy/tenancy.service.js';
import * as keys from './api-keys.repository.js';
import { forgetResolvedApiKeys } from './api-keys.service.js';
import * as repo from './partners.repository.js';
import {
  authorizePartnerAdmin,
  type LocationInput,
  locationInputErrors,
  partnerInputErrors,
  partnerNotFound,
  trimmed,
} from './partners.rules.js';
import type {
  ApiKeySummary,
  Partner,
  PartnerDetail,
  PartnerLocation,
  PartnerStatus,
} from './partners.types.js';

export { createApiKey } from './api-keys.service.js';
export { authorizePartnerAdmin } from './partners.rules.js';

/**
 * Partner organisations of a municipality (merchants, facilities, charities, recycling centres,
 * energy providers), their locations and their users. Municipal admins manage partners; a
 * partner's own `partner_admin` manages its users and keys (see api-keys.service.ts).
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
  const errors = partnerInputErrors({ name, kind: input.kind });
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
  await writePartner(ctx, async (db) => {
    await repo.insertPartner(db, partner);
    await recordAudit(
      { ...ctx, db },
      {
        municipalityId,
        action: 'partner.created',
        subjectType: 'partner',
        subjectId: partner.id,
        after: partnerAuditView(partner),
      },
    );
  });
  return partner;
}

/** The municipality's partners by name. Outcomes: the list; `not_signed_in`, `permission_denied`, `not_found`. */
export async function listPartners(ctx: ServiceContext, municipalityId: string) {
  authorize(ctx, 'partners.read', municipalityId);
  return repo.listPartners(ctx.db, municipalityId);
}

/**
 * The partner with this id in the municipality: for its staff (`partners.read`), or for the
 * partner's own users and keys (`partner.read`). Outcomes: the partner; `partner_not_found`
 * (also for another municipality's or another partner's); `not_signed_in`, `permission_denied`.
 */
export async function getPartner(
  ctx: ServiceContext,
  municipalityId: string,
  partnerId: string,
): Promise<Partner> {
  authorizePartnerRead(ctx, municipalityId, partnerId);
  const partner = await repo.findPartner(ctx.db, municipalityId, partnerId);
  if (!partner) throw partnerNotFound();
  return partner;
}

function authorizePartnerRead(ctx: ServiceContext, municipalityId: string, partnerId: string) {
  const { actor } = ctx;
  if (actor.kind === 'partner_user' || actor.kind === 'api_key') {
    if (actor.partnerId !== partnerId || actor.municipalityId !== municipalityId) {
      throw partnerNotFound();
    }
    authorize(ctx, 'partner.read');
  } else if (decide(actor, 'partners.read', municipalityId) === 'not_found') {
    throw partnerNotFound();
  } else {
    authorize(ctx, 'partners.read', municipalityId);
  }
}

/**
 * The partner of the acting partner user or API key. Outcomes: the partner;
 * `not_signed_in`, `permission_denied` (not a partner's actor, or no `partner.read`).
 */
export async function getOwnPartner(ctx: ServiceContext): Promise<Partner> {
  const { actor } = ctx;
  if (actor.kind !== 'partner_user' && actor.kind !== 'api_key') {
    authorize(ctx, 'partner.read');
    throw new DomainError('permission_denied', 'forbidden', 'Only a partner has its own partner.');
  }
  return getPartner(ctx, actor.municipalityId, actor.partnerId);
}

/**
 * How long a process keeps a partner it read for a till (name, kind, status) before reading it
 * again: a change made by another process reaches the till within this time, one made by this
 * process at once.
 */
export const PARTNER_CACHE_MS = 5_000;
const partnersRead = cachePerStorage<Partner>(PARTNER_CACHE_MS);

/**
 * The acting partner user's or API key's partner, as getOwnPartner (the same checks, every
 * call), read from the database at most once per PARTNER_CACHE_MS: for the point of sale,
 * which asks for it on every scan. Do not change the object it returns.
 */
export async function getOwnPartnerRecent(ctx: ServiceContext): Promise<Partner> {
  const { actor } = ctx;
  if (actor.kind !== 'partner_user' && actor.kind !== 'api_key') return getOwnPartner(ctx);
  authorizePartnerRead(ctx, actor.municipalityId, actor.partnerId);
  const partner = await partnersRead(ctx.storage).get(
    `${actor.municipalityId}:${actor.partnerId}`,
    () => repo.findPartner(ctx.db, actor.municipalityId, actor.partnerId),
  );
  if (!partner) throw partnerNotFound();
  return partner;
}

/**
 * A partner with its locations, its users (for those who manage partners; absent for readers
 * only) and a summary of its API keys. Outcomes: the detail; as getPartner.
 */
export async function getPartnerDetail(
  ctx: ServiceContext,
  municipalityId: string,
  partnerId: string,
): Promise<PartnerDetail> {
  const partner = await getPartner(ctx, municipalityId, partnerId);
  const mayManage = decide(ctx.actor, 'partners.manage', municipalityId) === 'allow';
  const [locations, partnerUsers, partnerKeys] = await Promise.all([
    repo.listLocations(ctx.db, partner),
    mayManage ? users.listPartnerUsers(ctx, partner) : null,
    keys.listKeys(ctx.db, partner),
  ]);
  return {
    ...partner,
    locations,
    ...(partnerUsers && { users: partnerUsers }),
    apiKeys: keySummary(partnerKeys),
  };
}

/**
 * The acting partner's own organisation and locations. Outcomes: as getOwnPartner.
 */
export async function getOwnPartnerDetail(
  ctx: ServiceContext,
): Promise<Partner & { locations: PartnerLocation[] }> {
  const partner = await getOwnPartner(ctx);
  return { ...partner, locations: await repo.listLocations(ctx.db, partner) };
}

/**
 * Changes a partner's name, kind or status. An inactive partner's API keys stop working at once
 * (and work again if it is made active). Outcomes: the partner; `invalid_input`;
 * `partner_exists`; `partner_not_found`; `not_signed_in`, `permission_denied`.
 */
export async function updatePartner(
  ctx: ServiceContext,
  municipalityId: string,
  partnerId: string,
  changes: { name?: string; kind?: PartnerKind; status?: PartnerStatus },
): Promise<Partner> {
  const input = trimmed(changes);
  const errors = partnerInputErrors(input);
  if (input.status !== undefined && input.status !== 'active' && input.status !== 'inactive') {
    errors.push({ field: 'status', code: 'enum', message: 'Status is active or inactive.' });
  }
  return writePartner(ctx, async (db) => {
    const tx = { ...ctx, db };
    const partner = await getPartner(tx, municipalityId, partnerId);
    authorize(tx, 'partners.manage', municipalityId);
    if (errors.length > 0) throw invalidInput(errors);
    const next: Partner = {
      ...partner,
      ...(input.name !== undefined && { name: input.name }),
      ...(input.kind !== undefined && { kind: input.kind }),
      ...(input.status !== undefined && { status: input.status }),
      updatedAt: ctx.clock.now().toISOString(),
    };
    await repo.updatePartner(db, next);
    await recordAudit(tx, {
      municipalityId,
      action: 'partner.updated',
      subjectType: 'partner',
      subjectId: partner.id,
      before: partnerAuditView(partner),
      after: partnerAuditView(next),
    });
    return next;
  });
}

/**
 * Adds a location (name, address, latitude and longitude in WGS84 degrees) to the partner.
 * Outcomes: the location; `invalid_input`; `partner_not_found`; `not_signed_in`,
 * `permission_denied`, `not_found`.
 */
export async function addLocation(
  ctx: ServiceContext,
  partner: Partner,
  input: Required<LocationInput>,
): Promise<PartnerLocation> {
  authorizePartnerAdmin(ctx, partner);
  const fields = trimmed(input);
  const errors = locationInputErrors(fields);
  if (errors.length > 0) throw invalidInput(errors);
  const location: PartnerLocation = {
    id: newId('loc', ctx.clock.now()),
    partnerId: partner.id,
    municipalityId: partner.municipalityId,
    name: fields.name,
    address: fields.address,
    latitude: fields.latitude,
    longitude: fields.longitude,
    createdAt: ctx.clock.now().toISOString(),
  };
  await inTransaction(ctx.db, async (db) => {
    await repo.insertLocation(db, location);
    await recordAudit(
      { ...ctx, db },
      {
        municipalityId: partner.municipalityId,
        action: 'partner_location.added',
        subjectType: 'partner_location',
        subjectId: location.id,
        after: locationAuditView(location),
      },
    );
  });
  return location;
}

/**
 * Changes a location's fields. Outcomes: the location; `invalid_input`; `location_not_found`
 * (also once removed); `partner_not_found`; `not_signed_in`, `permission_denied`, `not_found`.
 */
export async function updateLocation(
  ctx: ServiceContext,
  partner: Partner,
  locationId: string,
  changes: LocationInput,
): Promise<PartnerLocation> {
  authorizePartnerAdmin(ctx, partner);
  const fields = trimmed(changes);
  const errors = locationInputErrors(fields);
  if (errors.length > 0) throw invalidInput(errors);
  return inTransaction(ctx.db, async (db) => {
    const location = await liveLocation(db, partner, locationId);
    const next: PartnerLocation = {
      ...location,
      ...(fields.name !== undefined && { name: fields.name }),
      ...(fields.address !== undefined && { address: fields.address }),
      ...(fields.latitude !== undefined && { latitude: fields.latitude }),
      ...(fields.longitude !== undefined && { longitude: fields.longitude }),
    };
    await repo.updateLocation(db, next);
    await recordAudit(
      { ...ctx, db },
      {
        municipalityId: partner.municipalityId,
        action: 'partner_location.updated',
        subjectType: 'partner_location',
        subjectId: location.id,
        before: locationAuditView(location),
        after: locationAuditView(next),
      },
    );
    return next;
  });
}

/**
 * Removes a location (it is kept, marked removed, for the records that name it). Outcomes:
 * nothing; `location_not_found`; `partner_not_found`; `not_signed_in`, `permission_denied`,
 * `not_found`.
 */
export async function removeLocation(
  ctx: ServiceContext,
  partner: Partner,
  locationId: string,
): Promise<void> {
  authorizePartnerAdmin(ctx, partner);
  await inTransaction(ctx.db, async (db) => {
    const location = await liveLocation(db, partner, locationId);
    const now = ctx.clock.now().toISOString();
    if (!(await repo.removeLocation(db, location, now))) throw locationNotFound();
    await recordAudit(
      { ...ctx, db },
      {
        municipalityId: partner.municipalityId,
        action: 'partner_location.removed',
        subjectType: 'partner_location',
        subjectId: location.id,
        before: locationAuditView(location),
        after: { removedAt: now },
      },
    );
  });
}

export interface PartnerInvite {
  email: string;
  displayName: string;
  roles: PartnerRole[];
  /** The invitee's language; default the municipality's. */
  locale?: Locale | undefined;
  publicUrl: string;
  ip: string;
}

/**
 * Invites a user of the partner by email with roles; the invitation names the partner.
 * Outcomes: the user; `invalid_input`; `user_exists`; `partner_not_found`; `not_signed_in`,
 * `permission_denied`, `not_found`.
 */
export async function invitePartnerUser(
  ctx: ServiceContext,
  partner: Partner,
  invite: PartnerInvite,
): Promise<User> {
  authorizePartnerAdmin(ctx, partner);
  const locale =
    invite.locale ??
    (await findMunicipalityById(ctx, partner.municipalityId))?.defaultLocale ??
    'nl';
  return users.inviteUser(
    ctx,
    {
      kind: 'partner',
      municipalityId: partner.municipalityId,
      partnerId: partner.id,
      roles: invite.roles,
    },
    {
      email: invite.email,
      displayName: invite.displayName,
      locale,
      publicUrl: invite.publicUrl,
      ip: invite.ip,
      organisation: partner.name,
    },
  );
}

/** The partner's users. Outcomes: the list; `partner_not_found`; `not_signed_in`, `permission_denied`. */
export async function listUsersOfPartner(ctx: ServiceContext, partner: Partner): Promise<User[]> {
  authorizePartnerAdmin(ctx, partner);
  return users.listPartnerUsers(ctx, partner);
}

/**
 * Changes a partner user's roles or switches the account off or on. Outcomes: the user;
 * `user_not_found` (also another partner's user); `invalid_input`; `cannot_change_self`;
 * `partner_not_found`; `not_signed_in`, `permission_denied`.
 */
export async function updatePartnerUser(
  ctx: ServiceContext,
  partner: Partner,
  userId: string,
  changes: { roles?: PartnerRole[]; status?: 'active' | 'disabled' },
): Promise<User> {
  authorizePartnerAdmin(ctx, partner);
  return users.updateUser(ctx, userId, changes, {
    municipalityId: partner.municipalityId,
    partnerId: partner.id,
  });
}

/**
 * Sends an invited user of the partner a new invitation link. Outcomes: nothing;
 * `user_not_found`; `user_not_invited`; `partner_not_found`; `not_signed_in`, `permission_denied`.
 */
export async function resendPartnerInvitation(
  ctx: ServiceContext,
  partner: Partner,
  userId: string,
  details: { publicUrl: string; ip: string },
): Promise<void> {
  authorizePartnerAdmin(ctx, partner);
  await users.resendInvitation(
    ctx,
    userId,
    { municipalityId: partner.municipalityId, partnerId: partner.id },
    { ...details, organisationFor: () => partner.name },
  );
}

async function liveLocation(db: ServiceContext['db'], partner: Partner, locationId: string) {
  const location = await repo.findLocation(db, partner, locationId);
  if (!location) throw locationNotFound();
  return location;
}

const locationNotFound = () =>
  new DomainError('location_not_found', 'not_found', 'No such location of this partner.');

/** Runs a write of partners; a clash of names becomes `partner_exists`. */
async function writePartner<T>(
  ctx: ServiceContext,
  work: (db: ServiceContext['db']) => Promise<T>,
): Promise<T> {
  try {
    return await inTransaction(ctx.db, work);
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new DomainError('partner_exists', 'conflict', 'A partner with this name exists here.');
    }
    throw error;
  } finally {
    // A partner switched off stops its keys and its tills at once in this process.
    partnersRead(ctx.storage).forget();
    forgetResolvedApiKeys(ctx);
  }
}

function keySummary(list: { revokedAt: string | null; lastUsedAt: string | null }[]) {
  const summary: ApiKeySummary = { active: 0, revoked: 0, lastUsedAt: null };
  for (const key of list) {
    if (key.revokedAt === null) summary.active++;
    else summary.revoked++;
    if (
      key.lastUsedAt !== null &&
      (summary.lastUsedAt === null || key.lastUsedAt > summary.lastUsedAt)
    ) {
      summary.lastUsedAt = key.lastUsedAt;
    }
  }
  return summary;
}

const partnerAuditView = (p: Partner) => ({ name: p.name, kind: p.kind, status: p.status });

const locationAuditView = (l: PartnerLocation) => ({
  partnerId: l.partnerId,
  name: l.name,
  address: l.address,
  latitude: l.latitude,
  longitude: l.longitude,
});

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
