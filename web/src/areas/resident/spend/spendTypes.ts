import type { Locale } from '../../../i18n/locales.js';
import type { Limit, PartnerKind } from '../earn/earnTypes.js';

type LocalizedText = Record<Locale, string>;

// Shapes of the spending API as the resident's pages read them (docs/spending.md):
// GET /api/municipalities/:slug/rewards, /api/me/vouchers.

/** What a reward is about: the "what" filter, in this order. */
export const REWARD_CATEGORIES = [
  'leisure',
  'home',
  'energy',
  'waste',
  'shopping',
  'tax',
  'charity',
] as const;
export type RewardCategory = (typeof REWARD_CATEGORIES)[number];

export type RewardKind = 'facility_item' | 'merchant_discount' | 'tax_reduction' | 'donation';

export type RewardValue =
  | { mode: 'points' }
  | { mode: 'amount'; cents: number }
  | { mode: 'percent'; percent: number; maxCents: number };

/** A partner where a reward's vouchers are used, with its addresses. */
export interface Place {
  partnerId: string;
  municipalityId: string;
  name: string;
  kind: PartnerKind;
  locations: {
    id: string;
    name: string;
    address: string;
    latitude: number;
    longitude: number;
  }[];
}

export interface Reward {
  id: string;
  municipalityId: string;
  code: string;
  status: 'active' | 'archived';
  kind: RewardKind;
  names: LocalizedText;
  descriptions: LocalizedText;
  category: RewardCategory;
  pricePoints: number;
  value: RewardValue;
  stock: number | null;
  /** Items left; null when no stock is kept. */
  stockLeft: number | null;
  limits: Limit[];
  /** Days a voucher can be used; null for tax reductions and donations. */
  validityDays: number | null;
  scope: 'municipality' | 'region';
  validFrom: string | null;
  validUntil: string | null;
  partnerKind: PartnerKind | null;
  partnerIds: string[];
  causePartnerId: string | null;
  householdYearlyCapCents: number | null;
  /** What one voucher is worth, in euro cents (a percentage's most). */
  valueCents: number;
  places: Place[];
}

/**
 * `issued`: open, ready to show at a till; `completed`: a tax reduction or donation, done at
 * purchase; `redeemed`, `cancelled`, `expired`.
 */
export type VoucherStatus = 'issued' | 'redeemed' | 'cancelled' | 'expired' | 'completed';

export interface Voucher {
  id: string;
  municipalityId: string;
  rewardId: string;
  rewardCode: string;
  rewardNames: LocalizedText;
  kind: RewardKind;
  status: VoucherStatus;
  scope: 'municipality' | 'region';
  clientPurchaseId: string;
  pricePoints: number;
  valueCents: number;
  discountPercent: number | null;
  /** The code a person reads out; open vouchers only. */
  shortCode: string | null;
  /** The signed voucher the QR code holds; open vouchers only. */
  token: string | null;
  issuedAt: string;
  expiresAt: string | null;
  redeemedAt: string | null;
  cancelledAt: string | null;
  expiredAt: string | null;
  updatedAt: string;
}
