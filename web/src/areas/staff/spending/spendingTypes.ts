// `.js` so that test/web (NodeNext resolution) can import this file too.
import type { Limit, LocalizedText, PartnerKind } from '../earning/earningTypes.js';

// Shapes of the spending API (src/modules/catalog/rewards.*, src/modules/vouchers/finance.* and
// spending.*) that the staff pages read: rewards, statements, tax credits, liability, settings.

export const REWARD_KINDS = [
  'facility_item',
  'merchant_discount',
  'tax_reduction',
  'donation',
] as const;
export type RewardKind = (typeof REWARD_KINDS)[number];

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

export const REWARD_SCOPES = ['municipality', 'region'] as const;
export type RewardScope = (typeof REWARD_SCOPES)[number];

export type RewardValue =
  | { mode: 'points' }
  | { mode: 'amount'; cents: number }
  | { mode: 'percent'; percent: number; maxCents: number };
export type ValueMode = RewardValue['mode'];

export interface RewardTerms {
  kind: RewardKind;
  names: LocalizedText;
  descriptions: LocalizedText;
  category: RewardCategory;
  pricePoints: number;
  value: RewardValue;
  stock: number | null;
  limits: Limit[];
  validityDays: number | null;
  scope: RewardScope;
  validFrom: string | null;
  validUntil: string | null;
  partnerKind: PartnerKind | null;
  partnerIds: string[];
  causePartnerId: string | null;
  householdYearlyCapCents: number | null;
}

export interface Reward extends RewardTerms {
  id: string;
  municipalityId: string;
  code: string;
  status: 'active' | 'archived';
  stockLeft: number | null;
  valueCents: number;
  places: { partnerId: string; name: string; kind: PartnerKind }[];
  createdAt: string;
  updatedAt: string;
}

export type StatementStatus = 'issued' | 'paid';

export interface Statement {
  id: string;
  partnerId: string;
  partnerName: string | null;
  period: string;
  status: StatementStatus;
  lines: number;
  points: number;
  amountCents: number;
  createdAt: string;
  paidAt: string | null;
  paidBy: string | null;
  paymentReference: string | null;
}

export type RedemptionChannel = 'online' | 'offline' | 'donation';

export interface StatementDetail {
  statement: Statement;
  lines: {
    redemptionId: string;
    voucherId: string;
    shortCode: string | null;
    rewardId: string;
    rewardCode: string;
    rewardNames: LocalizedText;
    channel: RedemptionChannel;
    redeemedAt: string;
    receivedAt: string;
    points: number;
    valueCents: number;
  }[];
}

export const REFUSAL_CODES = [
  'voucher_expired',
  'voucher_already_redeemed',
  'voucher_wrong_partner',
  'voucher_out_of_scope',
  'voucher_cancelled',
  'voucher_invalid_signature',
  'voucher_not_found',
] as const;
export type RefusalCode = (typeof REFUSAL_CODES)[number];

/** A redemption a till made offline that the server did not pay: a duplicate or a refusal. */
export interface FlaggedRedemption {
  id: string;
  voucherId: string;
  partnerId: string;
  channel: RedemptionChannel;
  deviceId: string | null;
  redeemedAt: string;
  receivedAt: string;
  outcome: 'settled' | 'duplicate' | 'refused' | 'undone';
  refusalCode: string | null;
  points: number;
  valueCents: number;
}

export interface TaxCredits {
  year: number;
  totalCents: number;
  households: {
    householdId: string;
    reference: string | null;
    address: string;
    locale: 'nl' | 'fr' | 'de' | 'en';
    reductions: number;
    points: number;
    amountCents: number;
  }[];
}

export interface ExpiringMonth {
  month: string;
  points: number;
  vouchers: number;
  voucherPoints: number;
}

export interface Liability {
  pointValueCents: number;
  spendablePoints: number;
  heldPoints: number;
  residentsCents: number;
  owedToPartnersCents: number;
  totalCents: number;
  budgetCents: number | null;
  overBudget: boolean;
  openVouchers: {
    rewardId: string;
    names: LocalizedText;
    count: number;
    points: number;
    cents: number;
  }[];
  owedToPartners: {
    partnerId: string;
    name: string | null;
    redemptions: number;
    points: number;
    cents: number;
  }[];
  expiring: ExpiringMonth[];
  redemptionRate: number | null;
  vouchersLastYear: { redeemed: number; expired: number; cancelled: number; open: number };
}

export interface SpendingSettings {
  liabilityBudgetCents: number | null;
  offlineMaxCount: number;
  offlineMaxValueCents: number;
}

export interface SigningKey {
  id: string;
  status: 'active' | 'retired' | 'revoked';
  publicKey: string;
  createdAt: string;
  retiredAt: string | null;
}
