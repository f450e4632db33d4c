import type { Db } from '../../storage/database.js';
import type { PartnerLocationsTable, PartnersTable } from '../../storage/schema.js';
import type { Partner, PartnerLocation } from './partners.types.js';

/** SQL for partner organisations and their locations. */

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

/** The partner with this id, whatever its municipality (for region-wide vouchers). */
export async function findPartnerById(db: Db, id: string): Promise<Partner | undefined> {
  const row = await db.selectFrom('partners').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toPartner(row);
}

/** The names of these partners (of any municipality), by id; unknown ids are absent. */
export async function findPartnerNamesByIds(
  db: Db,
  ids: readonly string[],
): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('partners')
    .select(['id', 'name'])
    .where('id', 'in', [...ids])
    .execute();
  return new Map(rows.map((row) => [row.id, row.name]));
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

export async function updatePartner(
  db: Db,
  partner: Pick<Partner, 'id' | 'municipalityId' | 'name' | 'kind' | 'status' | 'updatedAt'>,
) {
  await db
    .updateTable('partners')
    .set({
      name: partner.name,
      kind: partner.kind,
      status: partner.status,
      updated_at: partner.updatedAt,
    })
    .where('id', '=', partner.id)
    .where('municipality_id', '=', partner.municipalityId)
    .execute();
}

export function toLocation(row: PartnerLocationsTable): PartnerLocation {
  return {
    id: row.id,
    partnerId: row.partner_id,
    municipalityId: row.municipality_id,
    name: row.name,
    address: row.address,
    latitude: Number(row.latitude),
    longitude: Number(row.longitude),
    createdAt: row.created_at,
  };
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

/** The partner's locations that are not removed, by name. */
export async function listLocations(db: Db, partner: Partner): Promise<PartnerLocation[]> {
  const rows = await db
    .selectFrom('partner_locations')
    .selectAll()
    .where('partner_id', '=', partner.id)
    .where('municipality_id', '=', partner.municipalityId)
    .where('removed_at', 'is', null)
    .orderBy('name')
    .orderBy('id')
    .execute();
  return rows.map(toLocation);
}

/** A location of the partner that is not removed. */
export async function findLocation(
  db: Db,
  partner: Partner,
  id: string,
): Promise<PartnerLocation | undefined> {
  const row = await db
    .selectFrom('partner_locations')
    .selectAll()
    .where('id', '=', id)
    .where('partner_id', '=', partner.id)
    .where('municipality_id', '=', partner.municipalityId)
    .where('removed_at', 'is', null)
    .executeTakeFirst();
  return row && toLocation(row);
}

export async function updateLocation(db: Db, location: PartnerLocation) {
  await db
    .updateTable('partner_locations')
    .set({
      name: location.name,
      address: location.address,
      latitude: location.latitude,
      longitude: location.longitude,
    })
    .where('id', '=', location.id)
    .where('municipality_id', '=', location.municipalityId)
    .execute();
}

/** Marks the location removed unless it already is; true when this call did. */
export async function removeLocation(
  db: Db,
  location: PartnerLocation,
  now: string,
): Promise<boolean> {
  const result = await db
    .updateTable('partner_locations')
    .set({ removed_at: now })
    .where('id', '=', location.id)
    .where('municipality_id', '=', location.municipalityId)
    .where('removed_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
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
