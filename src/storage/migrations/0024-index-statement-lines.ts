import { type Kysely, sql } from 'kysely';

/**
 * Region-scale reads (issue 8's region benchmark, docs/scaling.md). A statement's lines were
 * found by scanning every redemption of the region (`voucher_redemptions` had no index on
 * `statement_id`): 123 ms for one statement at 190,000 redemptions, growing with the region's
 * history; it now finds them in their order (received_at). What is owed to partners read every
 * redemption the municipality ever settled to keep those on no statement or an unpaid one (60
 * ms there); a partial index holds only the redemptions on no statement yet, per municipality
 * and partner (the unpaid statements carry their own totals). The
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
    .createIndex('voucher_redemptions_unsettled_index')
    .on('voucher_redemptions')
    .columns(['municipality_id', 'partner_id'])
    .where(sql.ref('statement_id'), 'is', null)
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
  await db.schema.dropIndex('voucher_redemptions_unsettled_index').execute();
  await db.schema.dropIndex('voucher_redemptions_statement_index').execute();
}
