import { sql } from 'kysely';
import type { Db } from '../../storage/database.js';
import type { RewardsTable } from '../../storage/schema.js';
import type { Reward, RewardTerms } from './rewards.types.js';

/** SQL for the reward catalogue. The terms live in one JSON column; kind, scope, price and stock
 * are columns too, for the queries that filter on them. */

/** The terms as stored: everything but the columns. */
type StoredTerms = Omit<RewardTerms, 'kind' | 'scope' | 'pricePoints' | 'stock'>;

export function toReward(row: RewardsTable): Reward {
  const terms = JSON.parse(row.terms) as StoredTerms;
  return {
    id: row.id,
    municipalityId: row.municipality_id,
    code: row.code,
    status: row.status,
    ...terms,
    kind: row.kind,
    scope: row.scope,
    pricePoints: row.price_points,
    stock: row.stock,
    stockLeft: row.stock === null ? null : Math.max(0, row.stock - row.stock_used),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The row's columns for a set of terms (the rest goes into `terms`). */
export function termsColumns(terms: RewardTerms) {
  const { kind, scope, pricePoints, stock, ...rest } = terms;
  return {
    kind,
    scope,
    price_points: pricePoints,
    stock,
    terms: JSON.stringify(rest satisfies StoredTerms),
  };
}

export async function insertReward(db: Db, row: RewardsTable) {
  await db.insertInto('rewards').values(row).execute();
}

export async function updateReward(
  db: Db,
  id: string,
  changes: Partial<Omit<RewardsTable, 'id' | 'municipality_id' | 'code' | 'created_at'>>,
) {
  await db.updateTable('rewards').set(changes).where('id', '=', id).execute();
}

export async function findReward(db: Db, municipalityId: string, id: string) {
  const row = await db
    .selectFrom('rewards')
    .selectAll()
    .where('municipality_id', '=', municipalityId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row && toReward(row);
}

export async function findRewardByCode(db: Db, municipalityId: string, code: string) {
  const row = await db
    .selectFrom('rewards')
    .selectAll()
    .where('municipality_id', '=', municipalityId)
    .where('code', '=', code)
    .executeTakeFirst();
  return row && toReward(row);
}

export async function findRewardsByIds(db: Db, ids: readonly string[]) {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('rewards').selectAll().where('id', 'in', ids).execute();
  return rows.map(toReward);
}

export async function listRewards(db: Db, municipalityId: string) {
  const rows = await db
    .selectFrom('rewards')
    .selectAll()
    .where('municipality_id', '=', municipalityId)
    .orderBy('price_points')
    .orderBy('code')
    .execute();
  return rows.map(toReward);
}

/**
 * Takes one item of stock when there is one left; true when taken. One conditional update, so
 * two purchases at once can never take the last item both (PostgreSQL locks the row; SQLite runs
 * one writer).
 */
export async function takeStock(db: Db, id: string): Promise<boolean> {
  const result = await db
    .updateTable('rewards')
    .set({ stock_used: sql`stock_used + 1` })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('stock', 'is', null), eb('stock_used', '<', eb.ref('stock'))]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Counts an item as taken even when none is left: it was handed out already (a voucher that
 * expired after an offline till accepted it, settled when the till synced).
 */
export async function takeStockAnyway(db: Db, id: string): Promise<void> {
  await db
    .updateTable('rewards')
    .set({ stock_used: sql`stock_used + 1` })
    .where('id', '=', id)
    .execute();
}

/** Gives an item back (a cancelled or expired voucher). */
export async function returnStock(db: Db, id: string): Promise<void> {
  await db
    .updateTable('rewards')
    .set({ stock_used: sql`stock_used - 1` })
    .where('id', '=', id)
    .where('stock_used', '>', 0)
    .execute();
}
