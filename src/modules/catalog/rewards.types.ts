import type { LocalizedText } from '../../shared/locales.js';
import type { PartnerKind } from '../../shared/roles.js';
import type { Limit } from './catalog.types.js';

/** The reward catalogue's domain types: what a municipality's residents can spend points on. */

/**
 * `facility_item`: an item or ticket handed out at named facilities or partners (pool ticket,
 * LED bulb, composter); `merchant_discount`: a discount at participating merchants;
 * `tax_reduction`: a credit on a municipal tax; `donation`: points given to a cause.
 */
export const REWARD_KINDS = [
  'facility_item',
  'merchant_discount',
  'tax_reduction',
  'donation',
] as const;
export type RewardKind = (typeof REWARD_KINDS)[number];

/** What a reward is about, for residents to find it (the "what" filter). */
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

/** `region`: redeemable at partners of every municipality of the region; the issuer settles. */
export const REWARD_SCOPES = ['municipality', 'region'] as const;
export type RewardScope = (typeof REWARD_SCOPES)[number];

/**
 * What a voucher is worth in euros, which is what the municipality pays the partner that
 * redeems it: the points at the municipality's point value, a fixed amount in cents, or a
 * percentage off with a most in cents (the cashier records the discount given).
 */
export type RewardValue =
  | { mode: 'points' }
  | { mode: 'amount'; cents: number }
  | { mode: 'percent'; percent: number; maxCents: number };

export interface RewardTerms {
  kind: RewardKind;
  names: LocalizedText;
  descriptions: LocalizedText;
  category: RewardCategory;
  pricePoints: number;
  value: RewardValue;
  /** Items left to hand out in all; null: no stock is kept. */
  stock: number | null;
  /** Purchases per resident or household per period: count, or points spent. */
  limits: Limit[];
  /** How long a voucher can be redeemed, in days (vouchers only; null for tax and donation). */
  validityDays: number | null;
  scope: RewardScope;
  /** The reward can be bought from/until (ISO timestamps); null for open-ended. */
  validFrom: string | null;
  validUntil: string | null;
  /** Where vouchers are redeemed: the named partners, or else every partner of this kind. */
  partnerKind: PartnerKind | null;
  partnerIds: string[];
  /** The charity a donation goes to. */
  causePartnerId: string | null;
  /** Tax reductions: the most one household may be credited per calendar year, in cents. */
  householdYearlyCapCents: number | null;
}

export interface Reward extends RewardTerms {
  id: string;
  municipalityId: string;
  /** Stable per municipality, e.g. `pool-ticket`. */
  code: string;
  status: 'active' | 'archived';
  /** Items still to be had (stock less vouchers holding one); null without stock. */
  stockLeft: number | null;
  createdAt: string;
  updatedAt: string;
}

/** A place where a reward's vouchers are redeemed, as residents see it. */
export interface RedemptionPlace {
  partnerId: string;
  municipalityId: string;
  name: string;
  kind: PartnerKind;
  locations: { id: string; name: string; address: string; latitude: number; longitude: number }[];
}
