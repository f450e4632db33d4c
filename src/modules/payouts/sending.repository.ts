import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../storage/database.js';
import { dialectOf } from '../../storage/dialect.js';
import type {
  PayoutReconciliationsTable,
  PayoutSettingsTable,
  PayoutsTable,
} from '../../storage/schema.js';

/**
 * The sending side's own SQL: `payout_nonces`, `payout_reconciliations`, the sent payouts and the
 * token columns of `payout_settings`. Looking up a payout or settings row and changing a payout's
 * status are in payouts.repository.ts, shared with the API.
 */

export type PayoutRow = PayoutsTable;
export type PayoutSettingsRow = PayoutSettingsTable;
export type ReconciliationRow = PayoutReconciliationsTable;

export function listEnabledPayoutSettings(db: Db): Promise<PayoutSettingsRow[]> {
  return db
    .selectFrom('payout_settings')
    .selectAll()
    .where('status', '=', 'enabled')
    .orderBy('municipality_id')
    .execute();
}

/**
 * The treasury's nonce row, locked until the transaction ends (created at `initial` when
 * missing). PostgreSQL: `select … for update`; SQLite: write transactions already run one at a
 * time (`begin immediate`), so the plain read is the lock.
 */
export async function lockTreasuryNonce(
  db: Db,
  chainId: number,
  treasuryAddress: string,
  initial: number,
): Promise<number> {
  if (!db.isTransaction) throw new Error('lockTreasuryNonce needs a transaction');
  await db
    .insertInto('payout_nonces')
    .values({ chain_id: chainId, treasury_address: treasuryAddress, next_nonce: initial })
    .onConflict((conflict) => conflict.columns(['chain_id', 'treasury_address']).doNothing())
    .execute();
  let query = db
    .selectFrom('payout_nonces')
    .select('next_nonce')
    .where('chain_id', '=', chainId)
    .where('treasury_address', '=', treasuryAddress);
  if (dialectOf(db) === 'postgres') query = query.forUpdate();
  const row = await query.executeTakeFirstOrThrow();
  return row.next_nonce;
}

export async function setTreasuryNextNonce(
  db: Db,
  chainId: number,
  treasuryAddress: string,
  nextNonce: number,
): Promise<void> {
  await db
    .updateTable('payout_nonces')
    .set({ next_nonce: nextNonce })
    .where('chain_id', '=', chainId)
    .where('treasury_address', '=', treasuryAddress)
    .execute();
}

/** Nonces from `from` up that the treasury's payouts hold (see chooseNonce). */
export async function heldNonces(
  db: Db,
  chainId: number,
  treasuryAddress: string,
  from: number,
): Promise<number[]> {
  const rows = await db
    .selectFrom('payouts')
    .select('nonce')
    .where('chain_id', '=', chainId)
    .where('treasury_address', '=', treasuryAddress)
    .where('nonce', '>=', from)
    .execute();
  return rows.map((row) => Number(row.nonce));
}

/**
 * The treasury's submitted payouts whose nonce the chain has not mined yet: their token units
 * and signed transactions (what they may still spend, tokens and gas).
 */
export async function inFlightTransfers(
  db: Db,
  chainId: number,
  treasuryAddress: string,
  minedNonces: number,
): Promise<{ tokenAmount: bigint; signedTransaction: string | null }[]> {
  const rows = await db
    .selectFrom('payouts')
    .select(['token_amount', 'signed_tx'])
    .where('chain_id', '=', chainId)
    .where('treasury_address', '=', treasuryAddress)
    .where('status', '=', 'submitted')
    .where('nonce', '>=', minedNonces)
    .execute();
  return rows.map((row) => ({
    tokenAmount: BigInt(row.token_amount),
    signedTransaction: row.signed_tx,
  }));
}

/** The municipality's payouts that were sent (have a transaction hash). */
export function listSentPayouts(db: Db, municipalityId: string): Promise<PayoutRow[]> {
  return db
    .selectFrom('payouts')
    .selectAll()
    .where('municipality_id', '=', municipalityId)
    .where('tx_hash', 'is not', null)
    .execute();
}

export async function sumConfirmedPoints(db: Db, municipalityId: string): Promise<number> {
  const row = await db
    .selectFrom('payouts')
    .select(sql<number | string | null>`sum(points)`.as('points'))
    .where('municipality_id', '=', municipalityId)
    .where('status', '=', 'confirmed')
    .executeTakeFirst();
  return Number(row?.points ?? 0);
}

export async function insertReconciliation(
  db: Db,
  row: Omit<ReconciliationRow, 'id'>,
): Promise<ReconciliationRow> {
  // Reconciliation ids are local to this table (no shared id prefix is registered for them).
  const stored = { id: `prc_${randomUUID()}`, ...row };
  await db.insertInto('payout_reconciliations').values(stored).execute();
  return stored;
}

export function latestReconciliation(
  db: Db,
  municipalityId: string,
): Promise<ReconciliationRow | undefined> {
  return db
    .selectFrom('payout_reconciliations')
    .selectAll()
    .where('municipality_id', '=', municipalityId)
    .orderBy('ran_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** Records a deployed token in the settings; reconciliation starts at its deployment block. */
export async function saveDeployedToken(
  db: Db,
  municipalityId: string,
  token: {
    address: string;
    decimals: number;
    symbol: string;
    fromBlock: number;
    by: string;
    at: string;
  },
): Promise<void> {
  await db
    .updateTable('payout_settings')
    .set({
      token_address: token.address,
      token_decimals: token.decimals,
      token_symbol: token.symbol,
      reconcile_from_block: token.fromBlock,
      updated_by: token.by,
      updated_at: token.at,
    })
    .where('municipality_id', '=', municipalityId)
    .execute();
}

/** Payouts left `queued` or `submitted` since before `before` (their job may have given up). */
export function listStalledPayoutIds(db: Db, before: string, limit: number): Promise<string[]> {
  return db
    .selectFrom('payouts')
    .select('id')
    .where('status', 'in', ['queued', 'submitted'])
    .where('updated_at', '<', before)
    .orderBy('updated_at')
    .limit(limit)
    .execute()
    .then((rows) => rows.map((row) => row.id));
}
