import type { Db } from '../../storage/database.js';
import type { VoucherSigningKeysTable } from '../../storage/schema.js';

/** SQL for the voucher-signing keys. */

export type SigningKeyRow = VoucherSigningKeysTable;

export async function findActiveKey(db: Db, municipalityId: string) {
  return db
    .selectFrom('voucher_signing_keys')
    .selectAll()
    .where('municipality_id', '=', municipalityId)
    .where('status', '=', 'active')
    .executeTakeFirst();
}

export async function findKey(db: Db, id: string) {
  return db.selectFrom('voucher_signing_keys').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertKey(db: Db, row: SigningKeyRow) {
  await db.insertInto('voucher_signing_keys').values(row).execute();
}

export async function retireActiveKey(db: Db, municipalityId: string, at: string) {
  await db
    .updateTable('voucher_signing_keys')
    .set({ status: 'retired', retired_at: at })
    .where('municipality_id', '=', municipalityId)
    .where('status', '=', 'active')
    .execute();
}

export async function revokeKey(db: Db, municipalityId: string, id: string, at: string) {
  const result = await db
    .updateTable('voucher_signing_keys')
    .set({ status: 'revoked', retired_at: at })
    .where('municipality_id', '=', municipalityId)
    .where('id', '=', id)
    .where('status', '!=', 'revoked')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Keys that still verify (active and retired), with their municipality's slug. */
export async function listPublishedKeys(db: Db) {
  return db
    .selectFrom('voucher_signing_keys')
    .innerJoin('municipalities', 'municipalities.id', 'voucher_signing_keys.municipality_id')
    .select([
      'voucher_signing_keys.id',
      'voucher_signing_keys.municipality_id',
      'voucher_signing_keys.public_key',
      'voucher_signing_keys.status',
      'voucher_signing_keys.created_at',
      'municipalities.slug',
    ])
    .where('voucher_signing_keys.status', 'in', ['active', 'retired'])
    .orderBy('voucher_signing_keys.id')
    .execute();
}

export async function listKeysOf(db: Db, municipalityId: string) {
  return db
    .selectFrom('voucher_signing_keys')
    .select(['id', 'status', 'created_at', 'retired_at', 'public_key'])
    .where('municipality_id', '=', municipalityId)
    .orderBy('id', 'desc')
    .execute();
}
