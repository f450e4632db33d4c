import { formatUnits } from 'viem';
import type { FieldError } from '../../shared/errors.js';
import type { PayoutStatus } from '../../storage/schema.js';
import { checkWalletAddress } from './erc20/address-proof.rules.js';
import type { PayoutSettingsInput } from './payouts.types.js';

/**
 * The payouts module's pure rules: quoting points in token units, the limits of one request,
 * the cooling-off after an address change, which status may follow which, and the settings'
 * validation. No I/O, no floats: token amounts are BigInt (they pass 2^53 at 18 decimals).
 */

/** A client request id: 8-64 letters, digits or `._:-` (the same on a retry). */
export const CLIENT_REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{8,64}$/;

/** A decimal integer without sign or leading zeros, at least 1 (a rate). */
const POSITIVE_DECIMAL_INTEGER = /^[1-9][0-9]{0,77}$/;
/** `env:NAME` (a shell-style variable name) or `file:/absolute/path`. */
const KEY_SOURCE = /^(env:[A-Za-z_][A-Za-z0-9_]{0,127}|file:\/[^\0\n\r]{1,1023})$/;
/** The largest token amount an ERC-20 `transfer` takes. */
const MAX_UINT256 = (1n << 256n) - 1n;

/** Token base units for `points` at `tokenUnitsPerPoint` (decimal integer text); exact. */
export function quoteTokenUnits(points: number, tokenUnitsPerPoint: string): bigint {
  if (!Number.isSafeInteger(points) || points <= 0) throw new RangeError('points must be > 0');
  if (!POSITIVE_DECIMAL_INTEGER.test(tokenUnitsPerPoint)) {
    throw new RangeError('tokenUnitsPerPoint must be a positive decimal integer');
  }
  return BigInt(points) * BigInt(tokenUnitsPerPoint);
}

/** Token base units as a decimal text in whole tokens (`1500000000000000000`, 18 → `1.5`). */
export function tokensText(units: bigint, decimals: number): string {
  return formatUnits(units, decimals);
}

export type PayoutLimitViolation =
  | { code: 'payout_below_minimum'; minPoints: number }
  | { code: 'payout_above_maximum'; maxPoints: number }
  | { code: 'payout_yearly_cap_reached'; capPoints: number; usedPoints: number; leftPoints: number }
  | { code: 'insufficient_points'; needed: number; available: number };

export interface PayoutLimits {
  minPoints: number;
  maxPoints: number;
  yearlyCapPoints: number;
}

export interface PayoutUsage {
  /** Points of this calendar year's payouts that were not rejected or failed. */
  usedThisYearPoints: number;
  /** What the wallet can spend now. */
  availablePoints: number;
}

/** Every limit a request of `points` breaks, in the order they are reported; empty: allowed. */
export function payoutLimitViolations(
  points: number,
  limits: PayoutLimits,
  usage: PayoutUsage,
): PayoutLimitViolation[] {
  const violations: PayoutLimitViolation[] = [];
  if (points < limits.minPoints) {
    violations.push({ code: 'payout_below_minimum', minPoints: limits.minPoints });
  }
  if (points > limits.maxPoints) {
    violations.push({ code: 'payout_above_maximum', maxPoints: limits.maxPoints });
  }
  if (usage.usedThisYearPoints + points > limits.yearlyCapPoints) {
    violations.push({
      code: 'payout_yearly_cap_reached',
      capPoints: limits.yearlyCapPoints,
      usedPoints: usage.usedThisYearPoints,
      leftPoints: Math.max(0, limits.yearlyCapPoints - usage.usedThisYearPoints),
    });
  }
  if (points > usage.availablePoints) {
    violations.push({
      code: 'insufficient_points',
      needed: points,
      available: Math.max(0, usage.availablePoints),
    });
  }
  return violations;
}

/** Whether a request of `points` waits for a finance officer (null threshold: none wait). */
export function needsApproval(points: number, approvalThresholdPoints: number | null): boolean {
  return approvalThresholdPoints !== null && points > approvalThresholdPoints;
}

/** Statuses that count against the yearly cap (and whose hold is still on or posted). */
export const CAP_COUNTING_STATUSES = [
  'awaiting_approval',
  'queued',
  'submitted',
  'confirmed',
  'parked',
] as const satisfies readonly PayoutStatus[];

/**
 * When a newly proven address may receive payouts: at once for a resident's first address, after
 * the cooling-off for a changed one (so a stolen session cannot redirect payouts right away).
 */
export function usableFromAfterProof(
  hadAddressBefore: boolean,
  now: Date,
  coolingOffHours: number,
): Date {
  return hadAddressBefore ? new Date(now.getTime() + coolingOffHours * 3_600_000) : now;
}

/** Whether an address proven with this `usableFrom` may receive a payout at `now`. */
export function addressUsable(usableFrom: string, now: Date): boolean {
  return Date.parse(usableFrom) <= now.getTime();
}

export interface NonceChoice {
  /** The nonce the payout already holds, if any (parked after a refused broadcast, retried). */
  own: number | null;
  /** The treasury's nonces the chain has mined (its next nonce at the latest block). */
  mined: number;
  /** The chain's next usable nonce, counting the transfers waiting in its pool. */
  chainPending: number;
  /** The treasury's next nonce as recorded (one past every nonce handed out). */
  stored: number;
  /**
   * Nonces at or above `mined` that other payouts hold. A payout keeps its nonce whatever
   * becomes of it (mined, or waiting to be sent again), except when staff cancel it while
   * parked: its transfer was never mined, and the nonce goes back.
   */
  held: readonly number[];
}

/**
 * The nonce a payout's transfer is signed with. A payout holding an unmined nonce signs with it
 * again: that fills the gap its refused transfer left. Otherwise the lowest nonce from the
 * chain's next usable one that no payout holds: a nonce freed when staff cancelled a parked
 * payout is used first. Taking one past the highest instead would leave a gap that no later
 * transfer of the treasury could be mined past.
 */
export function chooseNonce(choice: NonceChoice): number {
  if (choice.own !== null && choice.own >= choice.mined) return choice.own;
  const taken = new Set(choice.held);
  let nonce = Math.max(choice.chainPending, choice.mined);
  while (taken.has(nonce)) nonce++;
  return nonce;
}

/** Whether a chosen nonce fills a gap below the treasury's next one (see chooseNonce). */
export function fillsNonceGap(nonce: number, choice: NonceChoice): boolean {
  return nonce !== choice.own && nonce < Math.max(choice.stored, choice.chainPending);
}

/** Which status may follow which (docs/payouts.md); final statuses have none. */
export const PAYOUT_TRANSITIONS: Record<PayoutStatus, readonly PayoutStatus[]> = {
  awaiting_approval: ['queued', 'rejected'],
  queued: ['submitted', 'parked', 'failed'],
  submitted: ['confirmed', 'parked', 'failed'],
  parked: ['queued', 'failed'],
  confirmed: [],
  failed: [],
  rejected: [],
};

/** Whether a payout may go from `from` to `to`. */
export function canTransition(from: PayoutStatus, to: PayoutStatus): boolean {
  return PAYOUT_TRANSITIONS[from].includes(to);
}

/** The explorer link of a transaction, from a template holding `{hash}`; null without either. */
export function transactionUrl(template: string | null, txHash: string | null): string | null {
  if (!template || !txHash) return null;
  return template.replaceAll('{hash}', txHash);
}

/** The ledger transfer ids of one payout: the hold, its post and its void. */
export function payoutTransferIds(payoutId: string) {
  return {
    hold: `pyh_${payoutId}`,
    post: `pyp_${payoutId}`,
    void: `pyv_${payoutId}`,
  };
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/**
 * Every problem with settings as staff sent them (the schema has checked the types), each with
 * its field; empty: valid. The token address comes back checksummed in `tokenAddress`.
 */
export function payoutSettingsProblems(input: PayoutSettingsInput): {
  errors: FieldError[];
  tokenAddress: string | null;
} {
  const errors: FieldError[] = [];
  const add = (field: string, code: string, message: string) =>
    errors.push({ field: `/${field}`, code, message });
  if (!isHttpUrl(input.rpcUrl)) {
    add('rpcUrl', 'format', 'Give the JSON-RPC URL of the chain (http:// or https://).');
  }
  if (!Number.isSafeInteger(input.chainId) || input.chainId < 1) {
    add('chainId', 'minimum', 'A chain id is a positive integer (1 is Ethereum).');
  }
  let tokenAddress: string | null = null;
  if (input.tokenAddress !== null) {
    const checked = checkWalletAddress(input.tokenAddress);
    if (checked.ok) tokenAddress = checked.address;
    else {
      add(
        'tokenAddress',
        'address_checksum_invalid',
        'This is not a valid address, or its upper/lower case (EIP-55 checksum) is wrong.',
      );
    }
  }
  if (!KEY_SOURCE.test(input.treasuryKeySource)) {
    add(
      'treasuryKeySource',
      'format',
      'Say where the treasury key is: env:VARIABLE_NAME or file:/absolute/path.',
    );
  }
  if (!POSITIVE_DECIMAL_INTEGER.test(input.tokenUnitsPerPoint)) {
    add(
      'tokenUnitsPerPoint',
      'format',
      'Give the token base units per point as a whole number above 0, digits only.',
    );
  } else if (
    BigInt(input.tokenUnitsPerPoint) * BigInt(Math.max(1, input.maxPoints)) >
    MAX_UINT256
  ) {
    add('tokenUnitsPerPoint', 'maximum', 'The largest payout would not fit in a token amount.');
  }
  if (input.minPoints < 1) add('minPoints', 'minimum', 'The minimum is at least 1 point.');
  if (input.maxPoints < input.minPoints) {
    add('maxPoints', 'minimum', 'The maximum may not be below the minimum.');
  }
  if (input.yearlyCapPoints < 0) add('yearlyCapPoints', 'minimum', 'The cap may not be negative.');
  if (input.approvalThresholdPoints !== null && input.approvalThresholdPoints < 0) {
    add('approvalThresholdPoints', 'minimum', 'The threshold may not be negative.');
  }
  if (input.confirmations < 1) {
    add('confirmations', 'minimum', 'Wait for at least 1 confirmation.');
  }
  if (input.coolingOffHours < 0) {
    add('coolingOffHours', 'minimum', 'The cooling-off may not be negative.');
  }
  if (input.explorerTxUrl !== null) {
    if (!isHttpUrl(input.explorerTxUrl.replaceAll('{hash}', '0x0'))) {
      add(
        'explorerTxUrl',
        'format',
        'Give an http(s) URL, e.g. https://explorer.example/tx/{hash}.',
      );
    } else if (!input.explorerTxUrl.includes('{hash}')) {
      add('explorerTxUrl', 'hash_missing', 'Put {hash} where the transaction hash goes.');
    }
  }
  if (
    input.reconcileFromBlock !== undefined &&
    (!Number.isSafeInteger(input.reconcileFromBlock) || input.reconcileFromBlock < 0)
  ) {
    add('reconcileFromBlock', 'minimum', 'A block number is 0 or more.');
  }
  return { errors, tokenAddress };
}
