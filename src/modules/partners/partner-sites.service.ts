import type { ServiceContext } from '../../shared/context.js';
import { DomainError } from '../../shared/errors.js';
import type { PartnerKind } from '../../shared/roles.js';
import * as repo from './partners.repository.js';
import { getOwnPartner } from './partners.service.js';
import type { Partner, PartnerLocation } from './partners.types.js';

/**
 * Partner locations as the earning side needs them: the acting partner's own location (the
 * kiosk that shows a site code), and the places where an activity's partners are (to check a
 * code a resident typed). Only active partners and locations that are not removed count.
 */

/**
 * A location of the acting partner (user or key), with the partner. Outcomes: both;
 * `location_not_found` (another partner's, removed, or unknown); `partner_inactive`;
 * `not_signed_in`, `permission_denied`.
 */
export async function findOwnLocation(
  ctx: ServiceContext,
  locationId: string,
): Promise<{ partner: Partner; location: PartnerLocation }> {
  const partner = await getOwnPartner(ctx);
  if (partner.status !== 'active') throw partnerInactive();
  const location = await repo.findLocation(ctx.db, partner, locationId);
  if (!location) {
    throw new DomainError('location_not_found', 'not_found', 'No such location of this partner.');
  }
  return { partner, location };
}

/**
 * The locations of one partner (`partnerId`) or of every partner of a kind, in the
 * municipality; only active partners. For other modules' services, which authorize their own
 * callers first: the list is not personal data, but it is not the caller's to browse either.
 */
export async function locationsOfPartners(
  ctx: ServiceContext,
  municipalityId: string,
  by: { partnerId: string } | { kind: PartnerKind },
): Promise<PartnerLocation[]> {
  const partners =
    'partnerId' in by
      ? [await repo.findPartner(ctx.db, municipalityId, by.partnerId)].filter(
          (p): p is Partner => p !== undefined,
        )
      : (await repo.listPartners(ctx.db, municipalityId)).filter((p) => p.kind === by.kind);
  const active = partners.filter((p) => p.status === 'active');
  const lists = await Promise.all(active.map((partner) => repo.listLocations(ctx.db, partner)));
  return lists.flat();
}

/** The error for a partner that was switched off by its municipality. */
export function partnerInactive() {
  return new DomainError(
    'partner_inactive',
    'forbidden',
    'This partner is switched off by the municipality; ask them to switch it on again.',
  );
}

/**
 * The active partners, with their locations, that match `by` — the named partners, and every
 * partner of the kind — in the given municipalities. For other modules' services (where a
 * reward's vouchers are redeemed); the names and places of partners are public.
 */
export async function partnersMatching(
  ctx: ServiceContext,
  municipalityIds: readonly string[],
  by: { partnerIds: readonly string[]; kind: PartnerKind | null },
): Promise<{ partner: Partner; locations: PartnerLocation[] }[]> {
  const found: Partner[] = [];
  for (const municipalityId of municipalityIds) {
    for (const partner of await repo.listPartners(ctx.db, municipalityId)) {
      if (partner.status !== 'active') continue;
      if (by.partnerIds.includes(partner.id) || (by.kind !== null && partner.kind === by.kind)) {
        found.push(partner);
      }
    }
  }
  return Promise.all(
    found.map(async (partner) => ({
      partner,
      locations: await repo.listLocations(ctx.db, partner),
    })),
  );
}

/** Partners by id, whatever their municipality (to check the ids a catalogue names). */
export async function partnersByIds(
  ctx: ServiceContext,
  municipalityIds: readonly string[],
  partnerIds: readonly string[],
): Promise<Partner[]> {
  const found: Partner[] = [];
  for (const municipalityId of municipalityIds) {
    for (const id of partnerIds) {
      const partner = await repo.findPartner(ctx.db, municipalityId, id);
      if (partner) found.push(partner);
    }
  }
  return found;
}

/** The names of these partners (of any municipality), by id, in one query; unknown ids are absent. */
export async function partnerNamesByIds(
  ctx: ServiceContext,
  partnerIds: readonly string[],
): Promise<Map<string, string>> {
  return repo.findPartnerNamesByIds(ctx.db, [...new Set(partnerIds)]);
}

/** The names of a partner (of any municipality) and one of its locations, for a till's message. */
export async function partnerNames(
  ctx: ServiceContext,
  partnerId: string,
  locationId: string | null,
): Promise<{ partner: string | null; location: string | null }> {
  const partner = await repo.findPartnerById(ctx.db, partnerId);
  const location =
    partner && locationId ? await repo.findLocation(ctx.db, partner, locationId) : undefined;
  return { partner: partner?.name ?? null, location: location?.name ?? null };
}
