import type { Db } from '../../storage/database.js';
import type { DialectName } from '../../storage/dialect.js';
import type {
  PayoutAddressChallengesTable,
  PayoutAddressesTable,
  PayoutSettingsTable,
  PayoutStatus,
  PayoutsTable,
} from '../../storage/schema.js';
import type { Payout, PayoutAddress, PayoutSettings } from './payouts.types.js';

/**
 * SQL for the payouts tables of migration 0027 (settings, address proofs, addresses, payouts):
 * the rows as stored (for the sender, which needs the signed transaction and the nonce) and the
 * views the API returns, both from the same lookups. The sender's own tables (nonces,
 * reconciliation reports) are in sending.repository.ts.
 */

export function toPayoutSettings(row: PayoutSettingsTable): PayoutSettings {
  return {
    municipalityId: row.municipality_id,
    rail: row.rail,
    enabled: row.status === 'enabled',
    rpcUrl: row.rpc_url,
    chainId: Number(row.chain_id),
    tokenAddress: row.token_address,
    tokenDecimals: Number(row.token_decimals),
    tokenSymbol: row.token_symbol,
    treasuryAddress: row.treasury_address,
    treasuryKeySource: row.treasury_key_source,
    tokenUnitsPerPoint: row.token_units_per_point,
    minPoints: Number(row.min_points),
    maxPoints: Number(row.max_points),
    yearlyCapPoints: Number(row.yearly_cap_points),
    approvalThresholdPoints:
      row.approval_threshold_points === null ? null : Number(row.approval_threshold_points),
    confirmations: Number(row.confirmations),
    coolingOffHours: Number(row.cooling_off_hours),
    explorerTxUrl: row.explorer_tx_url,
    reconcileFromBlock: Number(row.reconcile_from_block),
    updatedBy: row.updated_by,
    updatedAt: row.updated_at,
  };
}

/** The municipality's settings row as stored (token columns, key source), if it has one. */
export function findSettingsRow(
  db: Db,
  municipalityId: string,
): Promise<PayoutSettingsTable | undefined> {
  return db
    .selectFrom('payout_settings')
    .selectAll()
    .where('municipality_id', '=', municipalityId)
    .executeTakeFirst();
}

export async function findSettings(
  db: Db,
  municipalityId: string,
): Promise<PayoutSettings | undefined> {
  const row = await findSettingsRow(db, municipalityId);
  return row && toPayoutSettings(row);
}

/** Inserts or replaces a municipality's settings row. */
export async function saveSettings(db: Db, row: PayoutSettingsTable): Promise<void> {
  const { municipality_id: _key, ...changes } = row;
  await db
    .insertInto('payout_settings')
    .values(row)
    .onConflict((conflict) => conflict.column('municipality_id').doUpdateSet(changes))
    .execute();
}

export async function insertChallenge(db: Db, row: PayoutAddressChallengesTable): Promise<void> {
  await db.insertInto('payout_address_challenges').values(row).execute();
}

export async function findChallenge(
  db: Db,
  nonce: string,
): Promise<PayoutAddressChallengesTable | undefined> {
  return db
    .selectFrom('payout_address_challenges')
    .selectAll()
    .where('nonce', '=', nonce)
    .executeTakeFirst();
}

/** Marks an unused challenge used; false when another request used it first. */
export async function useChallenge(db: Db, nonce: string, at: string): Promise<boolean> {
  const result = await db
    .updateTable('payout_address_challenges')
    .set({ used_at: at })
    .where('nonce', '=', nonce)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

function toAddress(row: PayoutAddressesTable): PayoutAddress {
  return {
    id: row.id,
    municipalityId: row.municipality_id,
    residentId: row.resident_id,
    address: row.address,
    status: row.status,
    provenAt: row.proven_at,
    usableFrom: row.usable_from,
    replacedAt: row.replaced_at,
  };
}

export async function findActiveAddress(
  db: Db,
  residentId: string,
): Promise<PayoutAddress | undefined> {
  const row = await db
    .selectFrom('payout_addresses')
    .selectAll()
    .where('resident_id', '=', residentId)
    .where('status', '=', 'active')
    .executeTakeFirst();
  return row && toAddress(row);
}

/** Whether the resident ever had a proven address (active or replaced). */
export async function hadAnyAddress(db: Db, residentId: string): Promise<boolean> {
  const row = await db
    .selectFrom('payout_addresses')
    .select('id')
    .where('resident_id', '=', residentId)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export async function replaceActiveAddress(db: Db, residentId: string, at: string): Promise<void> {
  await db
    .updateTable('payout_addresses')
    .set({ status: 'replaced', replaced_at: at })
    .where('resident_id', '=', residentId)
    .where('status', '=', 'active')
    .execute();
}

export async function insertAddress(db: Db, row: PayoutAddressesTable): Promise<PayoutAddress> {
  await db.insertInto('payout_addresses').values(row).execute();
  return toAddress(row);
}

/** A payout row as the module's type (without the signed transaction). */
export function toPayout(row: PayoutsTable): Payout {
  return {
    id: row.id,
    municipalityId: row.municipality_id,
    residentId: row.resident_id,
    clientRequestId: row.client_request_id,
    rail: row.rail,
    points: Number(row.points),
    tokenAmount: row.token_amount,
    address: row.address,
    status: row.status,
    holdTransferId: row.hold_transfer_id,
    chainId: Number(row.chain_id),
    tokenAddress: row.token_address,
    treasuryAddress: row.treasury_address,
    nonce: row.nonce === null ? null : Number(row.nonce),
    txHash: row.tx_hash,
    blockNumber: row.block_number === null ? null : Number(row.block_number),
    parkReason: row.park_reason,
    failureReason: row.failure_reason,
    decidedBy: row.decided_by,
    requestedAt: row.requested_at,
    submittedAt: row.submitted_at,
    settledAt: row.settled_at,
    updatedAt: row.updated_at,
  };
}

export async function insertPayout(db: Db, row: PayoutsTable): Promise<void> {
  await db.insertInto('payouts').values(row).execute();
}

/** The payout row as stored (nonce, hash, signed transaction), if there is one. */
export function findPayoutRow(db: Db, payoutId: string): Promise<PayoutsTable | undefined> {
  return db.selectFrom('payouts').selectAll().where('id', '=', payoutId).executeTakeFirst();
}

export async function findPayout(db: Db, payoutId: string): Promise<Payout | undefined> {
  const row = await findPayoutRow(db, payoutId);
  return row && toPayout(row);
}

/** The payout row, locked for the rest of the transaction on PostgreSQL. */
export async function findPayoutForUpdate(
  db: Db,
  payoutId: string,
  dialect: DialectName,
): Promise<Payout | undefined> {
  let query = db.selectFrom('payouts').selectAll().where('id', '=', payoutId);
  if (dialect === 'postgres') query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row && toPayout(row);
}

export async function findByClientRequestId(
  db: Db,
  residentId: string,
  clientRequestId: string,
): Promise<Payout | undefined> {
  const row = await db
    .selectFrom('payouts')
    .selectAll()
    .where('resident_id', '=', residentId)
    .where('client_request_id', '=', clientRequestId)
    .executeTakeFirst();
  return row && toPayout(row);
}

/** Points of the resident's payouts requested in [from, to) with one of these statuses. */
export async function pointsRequested(
  db: Db,
  residentId: string,
  from: string,
  to: string,
  statuses: readonly PayoutStatus[],
): Promise<number> {
  const row = await db
    .selectFrom('payouts')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('points'), eb.lit(0)).as('total'))
    .where('resident_id', '=', residentId)
    .where('requested_at', '>=', from)
    .where('requested_at', '<', to)
    .where('status', 'in', [...statuses])
    .executeTakeFirst();
  return Number(row?.total ?? 0);
}

export async function listPayoutsOf(db: Db, residentId: string, limit: number): Promise<Payout[]> {
  const rows = await db
    .selectFrom('payouts')
    .selectAll()
    .where('resident_id', '=', residentId)
    .orderBy('requested_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toPayout);
}

export async function listMunicipalPayouts(
  db: Db,
  municipalityId: string,
  status: PayoutStatus | undefined,
  limit: number,
): Promise<Payout[]> {
  let query = db
    .selectFrom('payouts')
    .selectAll()
    .where('municipality_id', '=', municipalityId)
    .orderBy('requested_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit);
  if (status) query = query.where('status', '=', status);
  return (await query.execute()).map(toPayout);
}

/**
 * Changes a payout's status (and fields) only if it is still (one of) `from`; true when it did.
 * Every status change names the status it leaves, so two workers or staff members racing on one
 * payout change it once: the loser updates no row.
 */
export async function transitionPayout(
  db: Db,
  payoutId: string,
  from: PayoutStatus | readonly PayoutStatus[],
  changes: Partial<Omit<PayoutsTable, 'id' | 'municipality_id' | 'resident_id'>> & {
    status: PayoutStatus;
    updated_at: string;
  },
): Promise<boolean> {
  const result = await db
    .updateTable('payouts')
    .set(changes)
    .where('id', '=', payoutId)
    .where('status', 'in', typeof from === 'string' ? [from] : [...from])
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
