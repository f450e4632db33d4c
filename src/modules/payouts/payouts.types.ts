import type { PayoutStatus } from '../../storage/schema.js';

/** The payouts module's public types (docs/payouts.md). */

export type { PayoutStatus };

export const PAYOUT_STATUSES = [
  'awaiting_approval',
  'queued',
  'submitted',
  'confirmed',
  'parked',
  'failed',
  'rejected',
] as const satisfies readonly PayoutStatus[];

/** A municipality's payout settings as stored. Holds where the treasury key is, never the key. */
export interface PayoutSettings {
  municipalityId: string;
  rail: 'erc20';
  enabled: boolean;
  rpcUrl: string;
  chainId: number;
  tokenAddress: string | null;
  tokenDecimals: number;
  tokenSymbol: string;
  /** EIP-55 address derived from the treasury key when the settings were saved. */
  treasuryAddress: string;
  /** `env:NAME` or `file:/absolute/path`: where the key is read from at signing time. */
  treasuryKeySource: string;
  /** Token base units per point, decimal integer text (may exceed 2^53). */
  tokenUnitsPerPoint: string;
  minPoints: number;
  maxPoints: number;
  yearlyCapPoints: number;
  approvalThresholdPoints: number | null;
  confirmations: number;
  coolingOffHours: number;
  explorerTxUrl: string | null;
  reconcileFromBlock: number;
  updatedBy: string;
  updatedAt: string;
}

/** What staff send to save the settings; the treasury address is derived, not sent. */
export interface PayoutSettingsInput {
  enabled: boolean;
  rpcUrl: string;
  chainId: number;
  tokenAddress: string | null;
  tokenDecimals: number;
  tokenSymbol: string;
  treasuryKeySource: string;
  tokenUnitsPerPoint: string;
  minPoints: number;
  maxPoints: number;
  yearlyCapPoints: number;
  approvalThresholdPoints: number | null;
  confirmations: number;
  coolingOffHours: number;
  explorerTxUrl: string | null;
  reconcileFromBlock?: number;
}

/** The settings as staff see them: the same fields (a key source names the key, it is not one). */
export type PayoutSettingsView = PayoutSettings;

/** What a resident's payout page needs to know about the rules. */
export interface ResidentPayoutSettings {
  enabled: boolean;
  chainId: number | null;
  tokenSymbol: string | null;
  tokenDecimals: number | null;
  tokenUnitsPerPoint: string | null;
  /** Tokens for one point, as a decimal text (e.g. "0.01"). */
  tokensPerPoint: string | null;
  minPoints: number | null;
  maxPoints: number | null;
  yearlyCapPoints: number | null;
  usedThisYearPoints: number;
  approvalThresholdPoints: number | null;
  availablePoints: number;
  address: { address: string; provenAt: string; usableFrom: string } | null;
}

/** A resident's proven payout address. */
export interface PayoutAddress {
  id: string;
  municipalityId: string;
  residentId: string;
  address: string;
  status: 'active' | 'replaced';
  provenAt: string;
  usableFrom: string;
  replacedAt: string | null;
}

/** One payout (the stored row, camelCase; the signed transaction is left out). */
export interface Payout {
  id: string;
  municipalityId: string;
  residentId: string;
  clientRequestId: string;
  rail: 'erc20';
  points: number;
  /** Token base units, decimal text. */
  tokenAmount: string;
  address: string;
  status: PayoutStatus;
  holdTransferId: string;
  chainId: number;
  tokenAddress: string;
  treasuryAddress: string;
  nonce: number | null;
  txHash: string | null;
  blockNumber: number | null;
  parkReason: string | null;
  failureReason: string | null;
  decidedBy: string | null;
  requestedAt: string;
  submittedAt: string | null;
  settledAt: string | null;
  updatedAt: string;
}

/** A payout as the API shows it: with the explorer link of its transaction when known. */
export interface PayoutView extends Payout {
  txUrl: string | null;
}

/** The answer to a payout request; `created` is false for a retry of the same request. */
export interface PayoutRequestResult {
  payout: PayoutView;
  created: boolean;
}
