import type { ApiKeyScope } from '../../shared/roles.js';
import type { Db } from '../../storage/database.js';
import type { ApiKeysTable } from '../../storage/schema.js';
import type { ApiKey } from './partners.types.js';

/** SQL for partners' API keys. */

export function toApiKey(row: ApiKeysTable): ApiKey {
  return {
    id: row.id,
    partnerId: row.partner_id,
    municipalityId: row.municipality_id,
    name: row.name,
    scopes: JSON.parse(row.scopes) as ApiKeyScope[],
    createdBy: row.created_by,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
    replacedBy: row.replaced_by,
  };
}

/** A key that is not revoked, of an active partner, by the hash of its secret. */
export async function findLiveKeyByHash(db: Db, secretHash: string): Promise<ApiKey | undefined> {
  const row = await db
    .selectFrom('api_keys')
    .innerJoin('partners', 'partners.id', 'api_keys.partner_id')
    .selectAll('api_keys')
    .where('api_keys.secret_hash', '=', secretHash)
    .where('api_keys.revoked_at', 'is', null)
    .where('partners.status', '=', 'active')
    .executeTakeFirst();
  return row && toApiKey(row);
}

export async function touchKey(db: Db, id: string, now: string) {
  await db.updateTable('api_keys').set({ last_used_at: now }).where('id', '=', id).execute();
}

export async function insertKey(db: Db, key: ApiKey, secretHash: string) {
  await db
    .insertInto('api_keys')
    .values({
      id: key.id,
      partner_id: key.partnerId,
      municipality_id: key.municipalityId,
      name: key.name,
      secret_hash: secretHash,
      scopes: JSON.stringify(key.scopes),
      created_by: key.createdBy,
      created_at: key.createdAt,
      last_used_at: null,
      revoked_at: null,
      replaced_by: null,
    })
    .execute();
}

type PartnerRef = { id: string; municipalityId: string };

/** A key of the partner (revoked or not), by id. */
export async function findKey(
  db: Db,
  partner: PartnerRef,
  id: string,
): Promise<ApiKey | undefined> {
  const row = await db
    .selectFrom('api_keys')
    .selectAll()
    .where('id', '=', id)
    .where('partner_id', '=', partner.id)
    .where('municipality_id', '=', partner.municipalityId)
    .executeTakeFirst();
  return row && toApiKey(row);
}

/** The partner's keys, newest first. */
export async function listKeys(db: Db, partner: PartnerRef): Promise<ApiKey[]> {
  const rows = await db
    .selectFrom('api_keys')
    .selectAll()
    .where('partner_id', '=', partner.id)
    .where('municipality_id', '=', partner.municipalityId)
    .orderBy('id', 'desc')
    .execute();
  return rows.map(toApiKey);
}

/** Revokes the key unless it already is; true when this call did. */
export async function revokeKey(
  db: Db,
  key: Pick<ApiKey, 'id' | 'municipalityId'>,
  now: string,
  replacedBy: string | null,
): Promise<boolean> {
  const result = await db
    .updateTable('api_keys')
    .set({ revoked_at: now, replaced_by: replacedBy })
    .where('id', '=', key.id)
    .where('municipality_id', '=', key.municipalityId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
