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

/** `GET /api/me/payouts/settings`: what the municipality allows and what is left this year. */
export interface MyPayoutSettings {
  enabled: boolean;
  tokenSymbol: string;
  tokenDecimals?: number;
  /** Token base units per point, decimal text. */
  tokenUnitsPerPoint?: string;
  /** Points for one whole token, when the API sends it instead. */
  pointsPerToken?: number;
  minPoints: number;
  maxPoints: number;
  yearlyCapPoints: number;
  usedThisYearPoints: number;
  approvalThresholdPoints: number | null;
  address: PayoutAddress | null;
}

export interface AddressChallenge {
  message: string;
  nonce: string;
  expiresAt: string;
}

export interface Payout {
  id: string;
  status: PayoutStatus;
  points: number;
  /** Token base units, decimal text. */
  tokenAmount?: string;
  tokenSymbol?: string;
  tokenDecimals?: number;
  address: string;
  txHash?: string | null;
  txUrl?: string | null;
  requestedAt: string;
  settledAt?: string | null;
  parkReason?: string | null;
  failureReason?: string | null;
  note?: string | null;
  /** Staff lists: whose payout it is. */
  residentId?: string;
  memberCode?: string | null;
}
