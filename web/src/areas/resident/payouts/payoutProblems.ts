import type { TFunction } from 'i18next';
import { ApiError } from '../../../api/client';
import { BrowserWalletError } from './browserWallet';

// What a refused or failed payout step means for the resident: what happened and what to do.
// Every error code of docs/payouts.md has its own text (payouts.errors.<code>).

export const PAYOUT_ERROR_CODES = [
  'payouts_disabled',
  'payout_address_missing',
  'payout_address_cooling_off',
  'payout_below_minimum',
  'payout_above_maximum',
  'payout_yearly_cap_reached',
  'insufficient_points',
  'payout_request_id_reused',
  'payout_not_found',
  'payout_not_parked',
  'payout_not_awaiting_approval',
  'address_checksum_invalid',
  'signature_invalid',
  'proof_expired',
  'proof_nonce_mismatch',
  'proof_domain_mismatch',
  'proof_chain_mismatch',
  'proof_message_invalid',
  'chain_unavailable',
  'treasury_key_missing',
  'treasury_key_mismatch',
] as const;
export type PayoutErrorCode = (typeof PAYOUT_ERROR_CODES)[number];

/** The other ways a step can fail, besides the API's codes. */
type OtherProblem =
  | 'network'
  | 'signedOut'
  | 'rateLimited'
  | 'server'
  | 'walletRejected'
  | 'walletWrongAccount'
  | 'walletFailed';

export type PayoutProblemKey = PayoutErrorCode | OtherProblem;

/** The catalogue key part (payouts.errors.<key>) for what went wrong. */
export function payoutProblemKey(error: unknown): PayoutProblemKey {
  if (error instanceof BrowserWalletError) return error.problem;
  if (!(error instanceof ApiError) || error.kind === 'network') return 'network';
  if (error.code && (PAYOUT_ERROR_CODES as readonly string[]).includes(error.code)) {
    return error.code as PayoutErrorCode;
  }
  if (error.status === 401) return 'signedOut';
  if (error.status === 429) return 'rateLimited';
  return 'server';
}

/** A refusal (the rules say no) reads as a notice; anything else as an error. */
export function isRefusal(key: PayoutProblemKey): boolean {
  return [
    'payouts_disabled',
    'payout_address_missing',
    'payout_address_cooling_off',
    'payout_below_minimum',
    'payout_above_maximum',
    'payout_yearly_cap_reached',
    'insufficient_points',
  ].includes(key);
}

/** The sentence saying what happened and what to do. */
export function explainPayoutProblem(t: TFunction, error: unknown): string {
  return t(`payouts.errors.${payoutProblemKey(error)}`);
}
