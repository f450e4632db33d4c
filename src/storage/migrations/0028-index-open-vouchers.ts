import { type Kysely, sql } from 'kysely';

/**
 * The liability's open vouchers (by reward, and by the day they expire) were found by reading
 * every voucher the municipality ever issued through the index by kind and issue date (about
 * 220,000 a municipality at region scale, 13-16 ms each on PostgreSQL; docs/scaling.md). A
 * partial index holds only the open (`issued`) ones, with the columns both reads need, so they
 * are answered from the index alone. A voucher leaves it once, when it is redeemed, expires or
 * is cancelled.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('vouchers_open_index')
    .on('vouchers')
    .columns(['municipality_id', 'expires_at', 'reward_id', 'price_points', 'value_cents'])
    .where(sql.ref('status'), '=', 'issued')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('vouchers_open_index').execute();
}
