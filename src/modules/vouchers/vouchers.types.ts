import type { LocalizedText } from '../../shared/locales.js';
import type { RewardKind, RewardScope } from '../catalog/rewards.types.js';

/** The vouchers module's domain types: what a purchase issues and how it is redeemed. */

/**
 * `issued` (open: shown at a till), `redeemed`, `cancelled` (by the resident, points back),
 * `expired` (not redeemed in time, points back); `completed`: a tax reduction or donation,
 * which takes effect at purchase.
 */
export const VOUCHER_STATUSES = [
  'issued',
  'redeemed',
  'cancelled',
  'expired',
  'completed',
] as const;
export type VoucherStatus = (typeof VOUCHER_STATUSES)[number];

export interface Voucher {
  id: string;
  municipalityId: string;
  rewardId: string;
  residentId: string;
  householdId: string | null;
  kind: RewardKind;
  status: VoucherStatus;
  scope: RewardScope;
  clientPurchaseId: string;
  pricePoints: number;
  valueCents: number;
  discountPercent: number | null;
  /** The code a person reads out (`XXXXX-XXXXX-C`); vouchers shown at a till only. */
  shortCode: string | null;
  tokenId: string | null;
  keyId: string | null;
  holdTransferId: string | null;
  holdCount: number;
  issuedAt: string;
  expiresAt: string | null;
  redeemedAt: string | null;
  redemptionId: string | null;
  cancelledAt: string | null;
  expiredAt: string | null;
  updatedAt: string;
}

/** What a voucher token says, signed (docs/spending.md). */
export interface VoucherClaims {
  /** The voucher's id. */
  vid: string;
  /** The issuing municipality's slug. */
  mun: string;
  /** The reward's id. */
  rwd: string;
  /** What it is worth, in euro cents (a percentage's most). */
  val: number;
  /** A percentage off, when the voucher is one. */
  pct?: number;
  /** Expiry, Unix seconds. */
  exp: number;
  /** The single-use id: a redemption must present the voucher's current one. */
  jti: string;
}

/** A voucher as its resident sees it, with the reward's names and, when open, how to show it. */
export interface VoucherView extends Voucher {
  rewardCode: string;
  rewardNames: LocalizedText;
  token: string | null;
}

export const REDEMPTION_CHANNELS = ['online', 'offline', 'donation'] as const;
export type RedemptionChannel = (typeof REDEMPTION_CHANNELS)[number];
export type RedemptionOutcome = 'settled' | 'duplicate' | 'refused' | 'undone';

export interface Redemption {
  id: string;
  municipalityId: string;
  voucherId: string;
  partnerId: string;
  locationId: string | null;
  channel: RedemptionChannel;
  clientRedemptionId: string | null;
  deviceId: string | null;
  redeemedAt: string;
  receivedAt: string;
  outcome: RedemptionOutcome;
  refusalCode: string | null;
  cashierKind: string;
  cashierId: string;
  points: number;
  valueCents: number;
  transferId: string | null;
  statementId: string | null;
  undoneAt: string | null;
  seenAt: string | null;
}

/** Why a voucher cannot be redeemed (the codes a till shows in the cashier's language). */
export const REDEMPTION_REFUSALS = [
  'voucher_expired',
  'voucher_already_redeemed',
  'voucher_wrong_partner',
  'voucher_out_of_scope',
  'voucher_cancelled',
  'voucher_invalid_signature',
  'voucher_not_found',
] as const;
export type RedemptionRefusal = (typeof REDEMPTION_REFUSALS)[number];
