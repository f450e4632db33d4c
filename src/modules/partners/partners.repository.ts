import type { Db } from '../../storage/database.js';
import type { PartnersTable } from '../../storage/schema.js';
import type { Partner } from './partners.types.js';

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
