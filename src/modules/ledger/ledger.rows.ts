import type { LedgerLotsTable, LedgerTransfersTable } from '../../storage/schema.js';
import type { AccountState, LedgerSnapshot } from './ledger.engine.js';
import { type LotState, lotExpiry, lotIdFor } from './ledger.lots.js';
import type { Transfer } from './ledger.types.js';

/** Row ↔ domain mapping for the ledger tables, shared by both stores and the reads. */

export const TRANSFER_COLUMNS = [
  'id',
  'municipality_id',
  'sequence',
  'debit_account_id',
  'credit_account_id',
  'amount',
  'phase',
  'pending_id',
  'timeout_seconds',
  'expires_at',
  'code',
  'reference',
  'reverses_id',
  'created_at',
  'prev_hash',
  'hash',
] as const;

export function toTransfer(row: LedgerTransfersTable): Transfer {
  return {
    id: row.id,
    municipalityId: row.municipality_id,
    sequence: row.sequence,
    debitAccountId: row.debit_account_id,
    creditAccountId: row.credit_account_id,
    amount: row.amount,
    phase: row.phase,
    pendingId: row.pending_id,
    timeoutSeconds: row.timeout_seconds,
    expiresAt: row.expires_at,
    code: row.code,
    reference: row.reference,
    reversesId: row.reverses_id,
    createdAt: row.created_at,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/** A transfer as the positional values of TRANSFER_COLUMNS. */
export function transferValues(t: Transfer): (string | number | null)[] {
  return [
    t.id,
    t.municipalityId,
    t.sequence,
    t.debitAccountId,
    t.creditAccountId,
    t.amount,
    t.phase,
    t.pendingId,
    t.timeoutSeconds,
    t.expiresAt,
    t.code,
    t.reference,
    t.reversesId,
    t.createdAt,
    t.prevHash,
    t.hash,
  ];
}

export interface AccountStateRow {
  id: string;
  municipality_id: string;
  flags: number;
  debits_posted: number;
  credits_posted: number;
  debits_pending: number;
  credits_pending: number;
}

export const ACCOUNT_STATE_COLUMNS =
  'id, municipality_id, flags, debits_posted, credits_posted, debits_pending, credits_pending';

export function toAccountState(row: AccountStateRow): AccountState {
  return {
    id: row.id,
    municipalityId: row.municipality_id,
    flags: row.flags,
    debitsPosted: row.debits_posted,
    creditsPosted: row.credits_posted,
    debitsPending: row.debits_pending,
    creditsPending: row.credits_pending,
  };
}

export function toLot(row: LedgerLotsTable): LotState {
  return {
    id: row.id,
    municipalityId: row.municipality_id,
    accountId: row.account_id,
    expiresAt: row.expires_at,
    remaining: row.remaining,
  };
}

/** Adds a loaded lot to the snapshot (once). */
export function addLot(snapshot: LedgerSnapshot, lot: LotState) {
  if (snapshot.lots.has(lot.id)) return;
  snapshot.lots.set(lot.id, lot);
  snapshot.walletLots.set(lot.accountId, [
    ...(snapshot.walletLots.get(lot.accountId) ?? []),
    lot.id,
  ]);
}

/** The lot a wallet's points earned now would go into, under its municipality's policy. */
export function todaysLotId(snapshot: LedgerSnapshot, account: AccountState, now: Date): string {
  return lotIdFor(
    account.id,
    lotExpiry(now, snapshot.policies.get(account.municipalityId) ?? null),
  );
}
