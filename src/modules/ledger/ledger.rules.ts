import { hash } from 'node:crypto';
import type {
  AccountKind,
  ResultCode,
  Transfer,
  TransferInput,
  TransferPhase,
} from './ledger.types.js';
import { ACCOUNT_FLAG } from './ledger.types.js';

/** Pure rules of the ledger: input validation, account kinds, the hash chain. No I/O. */

export const TRANSFER_ID_PATTERN = /^[A-Za-z0-9_.:-]{1,64}$/;
/** Ids the ledger writes itself (expire transfers) start with this; clients may not use it. */
export const RESERVED_ID_PREFIX = 'ledger:';
const CODE_PATTERN = /^[a-z][a-z0-9_]{0,31}$/;
export const MAX_REFERENCE_LENGTH = 200;
/** A hold may last at most a year and a day. */
export const MAX_TIMEOUT_SECONDS = 366 * 24 * 3600;
/** The largest batch one call may send (TigerBeetle's batch size). */
export const MAX_BATCH_SIZE = 8190;
export const GENESIS_HASH = '0'.repeat(64);

/** Kinds a municipality has exactly one of; the others belong to an owner. */
export const SINGLETON_KINDS: readonly AccountKind[] = [
  'issuance',
  'expired',
  'tax_credit',
  'payout',
  'escrow',
  'settled',
];

/** The flags an account of this kind carries. */
export function flagsForKind(kind: AccountKind): number {
  return kind === 'wallet' ? ACCOUNT_FLAG.debitsMustNotExceedCredits : 0;
}

const isPositiveAmount = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value > 0;

/** The phase a transfer input asks for. */
export function phaseOf(input: TransferInput): TransferPhase {
  const flags = input.flags;
  if (flags?.pending) return 'pending';
  if (flags?.postPending) return 'post';
  if (flags?.voidPending) return 'void';
  return 'single';
}

/** Step 1 of docs/ledger.md: the input on its own. Returns the first problem, or null. */
export function validateTransferInput(input: TransferInput): ResultCode | null {
  if (
    typeof input.id !== 'string' ||
    !TRANSFER_ID_PATTERN.test(input.id) ||
    input.id.startsWith(RESERVED_ID_PREFIX)
  ) {
    return 'id_invalid';
  }
  const flags = input.flags ?? {};
  const phases = [flags.pending, flags.postPending, flags.voidPending].filter(Boolean).length;
  if (phases > 1) return 'flags_are_mutually_exclusive';
  if (typeof input.code !== 'string' || !CODE_PATTERN.test(input.code)) return 'code_invalid';
  if (
    input.reference !== undefined &&
    input.reference !== null &&
    (typeof input.reference !== 'string' || input.reference.length > MAX_REFERENCE_LENGTH)
  ) {
    return 'reference_invalid';
  }
  const resolvesHold = Boolean(flags.postPending || flags.voidPending);
  const amountOptional = resolvesHold || input.reversesId !== undefined;
  if (
    amountOptional
      ? input.amount !== undefined && !isPositiveAmount(input.amount)
      : !isPositiveAmount(input.amount)
  ) {
    return 'amount_must_be_positive';
  }
  if (input.timeoutSeconds !== undefined) {
    if (!flags.pending) return 'timeout_reserved_for_pending_transfer';
    if (!isPositiveAmount(input.timeoutSeconds) || input.timeoutSeconds > MAX_TIMEOUT_SECONDS) {
      return 'timeout_invalid';
    }
  }
  if (resolvesHold) {
    if (typeof input.pendingId !== 'string' || input.pendingId === '') return 'pending_id_required';
  } else if (input.pendingId !== undefined) {
    return 'pending_id_must_be_empty';
  }
  if (input.reversesId !== undefined && (phases > 0 || typeof input.reversesId !== 'string')) {
    return 'reversal_must_not_be_pending';
  }
  const accountsOptional = amountOptional;
  const { debitAccountId: debit, creditAccountId: credit } = input;
  if (!accountsOptional && (typeof debit !== 'string' || typeof credit !== 'string')) {
    return 'accounts_required';
  }
  if (debit !== undefined && debit === credit) return 'accounts_must_differ';
  if (typeof input.municipalityId !== 'string') return 'municipality_mismatch';
  return null;
}

/**
 * Whether a replayed input asks for what the stored transfer did (docs/ledger.md step 2).
 * Accounts a post, void or reversal leaves out count as equal; so does an amount left out of a
 * void or a reversal, and of a post that took all of the hold (`heldAmount`): a post without an
 * amount asks for all of it.
 */
export function sameTransfer(stored: Transfer, input: TransferInput, heldAmount?: number): boolean {
  const optional = <T>(given: T | undefined, actual: T) => given === undefined || given === actual;
  const phase = phaseOf(input);
  const mayOmit = phase === 'post' || phase === 'void' || input.reversesId !== undefined;
  return (
    stored.municipalityId === input.municipalityId &&
    stored.phase === phase &&
    (mayOmit
      ? optional(input.debitAccountId, stored.debitAccountId)
      : input.debitAccountId === stored.debitAccountId) &&
    (mayOmit
      ? optional(input.creditAccountId, stored.creditAccountId)
      : input.creditAccountId === stored.creditAccountId) &&
    (input.amount === undefined
      ? mayOmit && (phase !== 'post' || stored.amount === heldAmount)
      : input.amount === stored.amount) &&
    (input.pendingId ?? null) === stored.pendingId &&
    (input.timeoutSeconds ?? null) === stored.timeoutSeconds &&
    input.code === stored.code &&
    (input.reference ?? null) === stored.reference &&
    (input.reversesId ?? null) === stored.reversesId
  );
}

/** The fields a transfer's hash covers, in their fixed order. */
export type HashedFields = Omit<Transfer, 'hash' | 'timeoutSeconds'>;

/**
 * The canonical encoding: `JSON.stringify` of the hashed fields in their fixed order. Written out
 * by hand because it runs once per transfer; strings that need no escaping (ids, codes, times,
 * hashes) are quoted directly and anything else goes through JSON.stringify, so the bytes are
 * exactly JSON.stringify's (a test checks this).
 */
export function canonicalTransfer(t: HashedFields): string {
  return `[${str(t.municipalityId)},${t.sequence},${str(t.id)},${str(t.debitAccountId)},${str(t.creditAccountId)},${t.amount},${str(t.phase)},${str(t.pendingId)},${str(t.expiresAt)},${str(t.code)},${str(t.reference)},${str(t.reversesId)},${str(t.createdAt)},${str(t.prevHash)}]`;
}

const PLAIN = /^[\w.:+-]*$/;
function str(value: string | null): string {
  if (value === null) return 'null';
  return PLAIN.test(value) ? `"${value}"` : JSON.stringify(value);
}

/** SHA-256 over the canonical encoding of a transfer, chained to the previous one's hash. */
export function hashTransfer(t: HashedFields): string {
  return hash('sha256', canonicalTransfer(t), 'hex');
}

/** The id of the transfer the ledger writes when a hold expires. */
export function expireTransferId(pendingId: string): string {
  return `${RESERVED_ID_PREFIX}expire:${pendingId}`;
}
