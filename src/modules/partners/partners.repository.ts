import type { Db } from '../../storage/database.js';
import type { PartnersTable } from '../../storage/schema.js';
import type { Partner, PartnerLocation } from './partners.types.js';

/** SQL for partner organisations. */

export function toPartner(row: PartnersTable): Partner {
  return {
    id: row.id,
    municipalityId: row.municipality_id,
    name: row.name,
    kind: row.kind,
    status: row.status,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function insertPartner(db: Db, partner: Partner) {
  await db
    .insertInto('partners')
    .values({
      id: partner.id,
      municipality_id: partner.municipalityId,
      name: partner.name,
      kind: partner.kind,
      status: partner.status,
      created_at: partner.createdAt,
      updated_at: partner.updatedAt,
    })
    .execute();
}

/** The partner with this id in this municipality (another municipality's id finds nothing). */
export async function findPartner(
  db: Db,
  municipalityId: string,
  id: string,
): Promise<Partner | undefined> {
  const row = await db
    .selectFrom('partners')
    .selectAll()
    .where('id', '=', id)
    .where('municipality_id', '=', municipalityId)
    .executeTakeFirst();
  return row && toPartner(row);
}

export async function listPartners(db: Db, municipalityId: string): Promise<Partner[]> {
  const rows = await db
    .selectFrom('partners')
    .selectAll()
    .where('municipality_id', '=', municipalityId)
    .orderBy('name')
    .execute();
  return rows.map(toPartner);
}

/** The partner of this municipality with exactly this name. */
export async function findPartnerByName(
  db: Db,
  municipalityId: string,
  name: string,
): Promise<Partner | undefined> {
  const row = await db
    .selectFrom('partners')
    .selectAll()
    .where('municipality_id', '=', municipalityId)
    .where('name', '=', name)
    .executeTakeFirst();
  return row && toPartner(row);
}

export async function insertLocation(db: Db, location: PartnerLocation) {
  await db
    .insertInto('partner_locations')
    .values({
      id: location.id,
      partner_id: location.partnerId,
      municipality_id: location.municipalityId,
      name: location.name,
      address: location.address,
      latitude: location.latitude,
      longitude: location.longitude,
      created_at: location.createdAt,
      removed_at: null,
    })
    .execute();
}

/** A partner's locations that were not removed, oldest first. */
export async function listLocations(
  db: Db,
  municipalityId: string,
  partnerId: string,
): Promise<PartnerLocation[]> {
  const rows = await db
    .selectFrom('partner_locations')
    .selectAll()
    .where('municipality_id', '=', municipalityId)
    .where('partner_id', '=', partnerId)
    .where('removed_at', 'is', null)
    .orderBy('id')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    partnerId: row.partner_id,
    municipalityId: row.municipality_id,
    name: row.name,
    address: row.address,
    latitude: Number(row.latitude),
    longitude: Number(row.longitude),
    createdAt: row.created_at,
  }));
}
