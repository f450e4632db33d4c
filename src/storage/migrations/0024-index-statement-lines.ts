import type { Kysely } from 'kysely';

/**
 * Region-scale reads (issue 8's region benchmark, docs/scaling.md). A statement's lines were
 * found by scanning every redemption of the region (`voucher_redemptions` had no index on
 * `statement_id`): 123 ms for one statement at 190,000 redemptions, growing with the region's
 * history. The new index finds a statement's lines in its order (received_at), and the
 * redemptions on no statement yet (`statement_id is null`) for what is owed to partners. The
 * vouchers' index by kind and issue date also holds the status, so the liability's "how did last
 * year's vouchers end" counts from the index alone; same leading columns, so it replaces it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('voucher_redemptions_statement_index')
    .on('voucher_redemptions')
    .columns(['statement_id', 'received_at'])
    .execute();
  await db.schema
    .createIndex('vouchers_kind_status_index')
    .on('vouchers')
    .columns(['municipality_id', 'kind', 'issued_at', 'status'])
    .execute();
  await db.schema.dropIndex('vouchers_kind_index').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('vouchers_kind_index')
    .on('vouchers')
    .columns(['municipality_id', 'kind', 'issued_at'])
    .execute();
  await db.schema.dropIndex('vouchers_kind_status_index').execute();
  await db.schema.dropIndex('voucher_redemptions_statement_index').execute();
}
