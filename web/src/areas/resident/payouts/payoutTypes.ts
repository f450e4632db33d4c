// The payouts API's answers as the pages read them (docs/payouts.md, docs/ui-payouts.md).

export type PayoutStatus =
  | 'awaiting_approval'
  | 'queued'
  | 'submitted'
  | 'confirmed'
  | 'parked'
  | 'failed'
  | 'rejected';

export const PAYOUT_STATUSES: readonly PayoutStatus[] = [
  'awaiting_approval',
  'queued',
  'submitted',
  'confirmed',
  'parked',
  'failed',
  'rejected',
];

/** The resident's active address: payouts to it start at `usableFrom` (cooling-off). */
export interface PayoutAddress {
  address: string;
  provenAt?: string;
  usableFrom: string;
}

/**
 * `GET /api/me/payouts/settings`: what the municipality allows and what is left this year.
 * The rules are null where the municipality has no payout settings (then `enabled` is false).
 */
export interface MyPayoutSettings {
  enabled: boolean;
  chainId: number | null;
  tokenSymbol: string | null;
  tokenDecimals: number | null;
  /** Token base units per point, decimal text. */
  tokenUnitsPerPoint: string | null;
  /** Tokens for one point, decimal text. */
  tokensPerPoint: string | null;
  minPoints: number | null;
  maxPoints: number | null;
  yearlyCapPoints: number | null;
  usedThisYearPoints: number;
  approvalThresholdPoints: number | null;
  /** The resident's spendable points. */
  availablePoints: number;
  address: PayoutAddress | null;
}

/** The rules of an enabled municipality: nothing is null there. */
export type EnabledPayoutSettings = MyPayoutSettings & {
  tokenSymbol: string;
  tokenDecimals: number;
  tokenUnitsPerPoint: string;
  minPoints: number;
  maxPoints: number;
  yearlyCapPoints: number;
};

/** Whether payouts are on here, with all their rules known. */
export function isEnabled(settings: MyPayoutSettings): settings is EnabledPayoutSettings {
  return (
    settings.enabled &&
    settings.tokenSymbol !== null &&
    settings.tokenDecimals !== null &&
    settings.tokenUnitsPerPoint !== null &&
    settings.minPoints !== null &&
    settings.maxPoints !== null &&
    settings.yearlyCapPoints !== null
  );
}

export interface AddressChallenge {
  message: string;
  nonce: string;
  expiresAt: string;
}

export interface Payout {
  id: string;
  residentId: string;
  clientRequestId: string;
  status: PayoutStatus;
  points: number;
  /** Token base units, decimal text. */
  tokenAmount: string;
  address: string;
  chainId: number;
  tokenAddress: string;
  txHash: string | null;
  txUrl: string | null;
  requestedAt: string;
  submittedAt: string | null;
  settledAt: string | null;
  parkReason: string | null;
  failureReason: string | null;
  decidedBy: string | null;
}
