import { sql } from 'kysely';
import type { Db } from '../../storage/database.js';
import { precompiled } from '../../storage/precompiled.js';
import type {
  SpendingSettingsTable,
  VoucherRedemptionsTable,
  VouchersTable,
} from '../../storage/schema.js';
import type { Redemption, Voucher } from './vouchers.types.js';

/** SQL for vouchers and their redemptions. */

export function toVoucher(row: VouchersTable): Voucher {
  return {
    id: row.id,
    municipalityId: row.municipality_id,
    rewardId: row.reward_id,
    residentId: row.resident_id,
    householdId: row.household_id,
    kind: row.kind,
    status: row.status,
    scope: row.scope,
    clientPurchaseId: row.client_purchase_id,
    pricePoints: Number(row.price_points),
    valueCents: Number(row.value_cents),
    discountPercent: row.discount_percent,
    shortCode: row.short_code,
    tokenId: row.token_id,
    keyId: row.key_id,
    holdTransferId: row.hold_transfer_id,
    holdCount: row.hold_count,
    issuedAt: row.issued_at,
    expiresAt: row.expires_at,
    redeemedAt: row.redeemed_at,
    redemptionId: row.redemption_id,
    cancelledAt: row.cancelled_at,
    expiredAt: row.expired_at,
    updatedAt: row.updated_at,
  };
}

export function toRedemption(row: VoucherRedemptionsTable): Redemption {
  return {
    id: row.id,
    municipalityId: row.municipality_id,
    voucherId: row.voucher_id,
    partnerId: row.partner_id,
    locationId: row.location_id,
    channel: row.channel,
    clientRedemptionId: row.client_redemption_id,
    deviceId: row.device_id,
    redeemedAt: row.redeemed_at,
    receivedAt: row.received_at,
    outcome: row.outcome,
    refusalCode: row.refusal_code,
    cashierKind: row.cashier_kind,
    cashierId: row.cashier_id,
    points: Number(row.points),
    valueCents: Number(row.value_cents),
    transferId: row.transfer_id,
    statementId: row.statement_id,
    undoneAt: row.undone_at,
    seenAt: row.seen_at,
  };
}

export async function insertVoucher(db: Db, row: VouchersTable) {
  await db.insertInto('vouchers').values(row).execute();
}

export async function updateVoucher(
  db: Db,
  id: string,
  changes: Partial<Omit<VouchersTable, 'id' | 'municipality_id'>>,
) {
  await db.updateTable('vouchers').set(changes).where('id', '=', id).execute();
}

/**
 * Moves a voucher from `from` to new values, only when it is still in `from` (and, on
 * PostgreSQL, locks it against any other change); true when this call moved it. The guard that
 * makes one voucher redeem, cancel or expire exactly once.
 */
export async function transitionVoucher(
  db: Db,
  id: string,
  from: VouchersTable['status'],
  changes: Partial<Omit<VouchersTable, 'id' | 'municipality_id'>>,
): Promise<boolean> {
  const result = await db
    .updateTable('vouchers')
    .set(changes)
    .where('id', '=', id)
    .where('status', '=', from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

// The point of sale's statements, compiled once (each till request runs some of them).
const voucherById = precompiled<{ id: string }, VouchersTable>((db, param) =>
  db.selectFrom('vouchers').selectAll().where('id', '=', param('id')),
);
const voucherByIdForUpdate = precompiled<{ id: string }, VouchersTable>((db, param) =>
  db.selectFrom('vouchers').selectAll().where('id', '=', param('id')).forUpdate(),
);

export async function findVoucher(db: Db, id: string) {
  const [row] = (await voucherById(db, { id })).rows;
  return row && toVoucher(row);
}

/** The voucher row locked for this transaction (PostgreSQL); a plain read on SQLite. */
export async function findVoucherForUpdate(db: Db, id: string, dialect: 'sqlite' | 'postgres') {
  const [row] = (await (dialect === 'postgres' ? voucherByIdForUpdate : voucherById)(db, { id }))
    .rows;
  return row && toVoucher(row);
}

const markRedeemed = precompiled<{ id: string; at: string; redemptionId: string }, VouchersTable>(
  (db, param) =>
    db
      .updateTable('vouchers')
      .set({
        status: 'redeemed',
        redeemed_at: param('at'),
        redemption_id: param('redemptionId'),
        updated_at: param('at'),
      })
      .where('id', '=', param('id'))
      .where('status', '=', 'issued'),
);

/**
 * Marks an open voucher redeemed by this redemption, only when it is still open (see
 * transitionVoucher); true when this call did.
 */
export async function markVoucherRedeemed(
  db: Db,
  id: string,
  redemptionId: string,
  at: string,
): Promise<boolean> {
  const result = await markRedeemed(db, { id, at, redemptionId });
  return Number(result.numAffectedRows) === 1;
}

export async function findVoucherByShortCode(db: Db, shortCode: string) {
  const row = await db
    .selectFrom('vouchers')
    .selectAll()
    .where('short_code', '=', shortCode)
    .executeTakeFirst();
  return row && toVoucher(row);
}

export async function findByPurchaseId(db: Db, residentId: string, clientPurchaseId: string) {
  const row = await db
    .selectFrom('vouchers')
    .selectAll()
    .where('resident_id', '=', residentId)
    .where('client_purchase_id', '=', clientPurchaseId)
    .executeTakeFirst();
  return row && toVoucher(row);
}

export async function listVouchersOf(db: Db, residentId: string, limit: number) {
  const rows = await db
    .selectFrom('vouchers')
    .selectAll()
    .where('resident_id', '=', residentId)
    .orderBy('issued_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toVoucher);
}

/**
 * Purchases and points of a reward that count towards a limit: by the resident or the
 * household, bought since `from` (null: ever), not cancelled or expired.
 */
export async function purchaseUsage(
  db: Db,
  by: { residentId: string } | { householdId: string },
  rewardId: string,
  from: string | null,
): Promise<{ count: number; points: number }> {
  let query = db
    .selectFrom('vouchers')
    .select([
      (eb) => eb.fn.countAll<number>().as('count'),
      (eb) => eb.fn.coalesce(eb.fn.sum<number>('price_points'), sql<number>`0`).as('points'),
    ])
    .where('reward_id', '=', rewardId)
    .where('status', 'in', ['issued', 'redeemed', 'completed']);
  query =
    'residentId' in by
      ? query.where('resident_id', '=', by.residentId)
      : query.where('household_id', '=', by.householdId);
  if (from !== null) query = query.where('issued_at', '>=', from);
  const row = await query.executeTakeFirstOrThrow();
  return { count: Number(row.count), points: Number(row.points) };
}

/** Cents credited to a household by tax reductions of a reward since `from`. */
export async function taxCreditedCents(
  db: Db,
  householdId: string,
  rewardId: string,
  from: string,
): Promise<number> {
  const row = await db
    .selectFrom('vouchers')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('value_cents'), sql<number>`0`).as('cents'))
    .where('household_id', '=', householdId)
    .where('reward_id', '=', rewardId)
    .where('status', '=', 'completed')
    .where('issued_at', '>=', from)
    .executeTakeFirstOrThrow();
  return Number(row.cents);
}

/** Open vouchers past their expiry, oldest first. */
export async function listDueVouchers(db: Db, now: string, limit: number) {
  const rows = await db
    .selectFrom('vouchers')
    .selectAll()
    .where('status', '=', 'issued')
    .where('expires_at', '<=', now)
    .orderBy('expires_at')
    .limit(limit)
    .execute();
  return rows.map(toVoucher);
}

const REDEMPTION_COLUMNS = [
  'id',
  'municipality_id',
  'voucher_id',
  'partner_id',
  'location_id',
  'channel',
  'client_redemption_id',
  'device_id',
  'redeemed_at',
  'received_at',
  'outcome',
  'refusal_code',
  'cashier_kind',
  'cashier_id',
  'points',
  'value_cents',
  'transfer_id',
  'statement_id',
  'undone_at',
  'seen_at',
] as const satisfies readonly (keyof VoucherRedemptionsTable)[];

const insertRedemptionRow = precompiled<VoucherRedemptionsTable, VoucherRedemptionsTable>(
  (db, param) =>
    db
      .insertInto('voucher_redemptions')
      .values(Object.fromEntries(REDEMPTION_COLUMNS.map((c) => [c, param(c)])) as never),
);

export async function insertRedemption(db: Db, row: VoucherRedemptionsTable) {
  await insertRedemptionRow(db, row);
}

export async function updateRedemption(
  db: Db,
  id: string,
  changes: Partial<Pick<VoucherRedemptionsTable, 'outcome' | 'undone_at' | 'seen_at'>>,
) {
  await db.updateTable('voucher_redemptions').set(changes).where('id', '=', id).execute();
}

export async function findRedemption(db: Db, id: string) {
  const row = await db
    .selectFrom('voucher_redemptions')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  return row && toRedemption(row);
}

const redemptionByClientId = precompiled<
  { partnerId: string; clientId: string },
  VoucherRedemptionsTable
>((db, param) =>
  db
    .selectFrom('voucher_redemptions')
    .selectAll()
    .where('partner_id', '=', param('partnerId'))
    .where('client_redemption_id', '=', param('clientId')),
);

export async function findRedemptionByClientId(db: Db, partnerId: string, clientId: string) {
  const [row] = (await redemptionByClientId(db, { partnerId, clientId })).rows;
  return row && toRedemption(row);
}

export async function listRedemptionsOfPartner(db: Db, partnerId: string, limit: number) {
  const rows = await db
    .selectFrom('voucher_redemptions')
    .selectAll()
    .where('partner_id', '=', partnerId)
    .orderBy('received_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toRedemption);
}

/** Duplicates of offline redemptions not yet marked seen, in a municipality. */
export async function listFlaggedRedemptions(db: Db, municipalityId: string, limit: number) {
  const rows = await db
    .selectFrom('voucher_redemptions')
    .selectAll()
    .where('municipality_id', '=', municipalityId)
    .where('outcome', 'in', ['duplicate', 'refused'])
    .orderBy('received_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toRedemption);
}

export async function findSpendingSettings(db: Db, municipalityId: string) {
  return db
    .selectFrom('spending_settings')
    .selectAll()
    .where('municipality_id', '=', municipalityId)
    .executeTakeFirst();
}

export async function saveSpendingSettings(db: Db, row: SpendingSettingsTable) {
  const { municipality_id: _m, ...changes } = row;
  await db
    .insertInto('spending_settings')
    .values(row)
    .onConflict((oc) => oc.column('municipality_id').doUpdateSet(changes))
    .execute();
}

/**
 * Token ids of vouchers a till must refuse even offline — cancelled, or redeemed, and not yet
 * past their expiry (after it, the token's own expiry refuses them) — of these municipalities.
 */
export async function listDeniedTokenIds(db: Db, municipalityIds: readonly string[], now: string) {
  if (municipalityIds.length === 0) return [];
  const rows = await db
    .selectFrom('vouchers')
    .select('token_id')
    .where('municipality_id', 'in', municipalityIds)
    .where('status', 'in', ['cancelled', 'redeemed'])
    .where('expires_at', '>', now)
    .where('token_id', 'is not', null)
    .execute();
  return rows.map((row) => row.token_id!);
}

/**
 * Gives the open vouchers signed by `keyId` a new key and single-use id (their old tokens stop
 * working); returns how many.
 */
export async function reissueOpenVouchers(
  db: Db,
  municipalityId: string,
  keyId: string,
  next: { keyId: string; tokenId: () => string; at: string },
): Promise<number> {
  const rows = await db
    .selectFrom('vouchers')
    .select('id')
    .where('municipality_id', '=', municipalityId)
    .where('key_id', '=', keyId)
    .where('status', '=', 'issued')
    .execute();
  for (const row of rows) {
    await db
      .updateTable('vouchers')
      .set({ key_id: next.keyId, token_id: next.tokenId(), updated_at: next.at })
      .where('id', '=', row.id)
      .execute();
  }
  return rows.length;
}
