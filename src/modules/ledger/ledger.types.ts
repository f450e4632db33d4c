/** The ledger's domain types; see docs/ledger.md for the semantics. */

export const ACCOUNT_KINDS = [
  'issuance',
  'wallet',
  'partner',
  'expired',
  'tax_credit',
  'donation',
  'payout',
  'escrow',
  'settled',
] as const;
export type AccountKind = (typeof ACCOUNT_KINDS)[number];

/** Account flags as stored (a bit set). */
export const ACCOUNT_FLAG = {
  debitsMustNotExceedCredits: 1,
  creditsMustNotExceedDebits: 2,
} as const;

export interface AccountFlags {
  debitsMustNotExceedCredits: boolean;
  creditsMustNotExceedDebits: boolean;
}

export interface Account {
  id: string;
  municipalityId: string;
  kind: AccountKind;
  ownerId: string | null;
  flags: AccountFlags;
  debitsPosted: number;
  creditsPosted: number;
  debitsPending: number;
  creditsPending: number;
  createdAt: string;
}

export interface OpenAccountInput {
  municipalityId: string;
  kind: AccountKind;
  ownerId?: string | null;
}

export type TransferPhase = 'single' | 'pending' | 'post' | 'void' | 'expire';

export interface TransferFlags {
  linked?: boolean;
  pending?: boolean;
  postPending?: boolean;
  voidPending?: boolean;
}

export interface TransferInput {
  id: string;
  municipalityId: string;
  debitAccountId?: string;
  creditAccountId?: string;
  amount?: number;
  pendingId?: string;
  flags?: TransferFlags;
  timeoutSeconds?: number;
  code: string;
  reference?: string | null;
  reversesId?: string;
}

export interface Transfer {
  id: string;
  municipalityId: string;
  sequence: number;
  debitAccountId: string;
  creditAccountId: string;
  amount: number;
  phase: TransferPhase;
  pendingId: string | null;
  timeoutSeconds: number | null;
  expiresAt: string | null;
  code: string;
  reference: string | null;
  reversesId: string | null;
  createdAt: string;
  prevHash: string;
  hash: string;
}

export const RESULT_CODES = [
  'ok',
  'exists',
  'exists_with_different_fields',
  'id_invalid',
  'flags_are_mutually_exclusive',
  'code_invalid',
  'reference_invalid',
  'amount_must_be_positive',
  'timeout_reserved_for_pending_transfer',
  'timeout_invalid',
  'pending_id_required',
  'pending_id_must_be_empty',
  'reversal_must_not_be_pending',
  'accounts_required',
  'accounts_must_differ',
  'account_not_found',
  'municipality_mismatch',
  'pending_not_found',
  'pending_transfer_not_pending',
  'pending_already_posted',
  'pending_already_voided',
  'pending_expired',
  'pending_accounts_mismatch',
  'amount_exceeds_pending',
  'pending_amount_mismatch',
  'reversal_target_not_found',
  'reversal_target_not_posted',
  'already_reversed',
  'reversal_mismatch',
  'insufficient_funds',
  'exceeds_debits',
  'linked_event_failed',
  'linked_event_chain_open',
] as const;
export type ResultCode = (typeof RESULT_CODES)[number];

export interface TransferResult {
  id: string;
  result: ResultCode;
  transfer?: Transfer;
}

export interface AccountHistoryPage {
  items: Transfer[];
  nextCursor: string | null;
}

/** What `verify` found: nothing (ok) or the first break in each municipality's chain and sums. */
export interface VerifyReport {
  ok: boolean;
  municipalities: {
    municipalityId: string;
    slug: string;
    transfers: number;
    problems: string[];
  }[];
}
