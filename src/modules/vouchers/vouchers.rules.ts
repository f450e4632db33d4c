import { periodEnd, periodStart } from '../../shared/calendar.js';
import type { Limit, LimitPeriod, LimitScope } from '../catalog/catalog.types.js';
import type { RewardTerms } from '../catalog/rewards.types.js';
import type { RedemptionRefusal, Voucher } from './vouchers.types.js';

/** Pure rules of vouchers: purchase limits, where and when a voucher may be redeemed, ledger ids. */

/** A redemption can be undone by the partner that made it for this long. */
export const UNDO_WINDOW_MS = 10 * 60_000;
/** A client's purchase or redemption id: what makes a retry safe. */
export const CLIENT_ID_PATTERN = /^[A-Za-z0-9._:-]{8,64}$/;

/** Purchases (count) and points spent on one reward by a resident or household in one window. */
export interface PurchaseUsage {
  count: number;
  points: number;
}

export interface PurchaseLimitViolation {
  scope: LimitScope;
  period: LimitPeriod;
  /** `count`: too many purchases; `points`: too many points spent on it. */
  measure: 'count' | 'points';
  max: number;
}

/**
 * The limits a purchase of `pricePoints` would break, given the usage of each limit's window
 * (keyed `scope:period`, missing means none), in the order of `limits`. Unlike a claim, a
 * purchase is never lowered: any limit it would pass refuses it.
 */
export function purchaseLimitViolations(
  limits: readonly Limit[],
  pricePoints: number,
  usage: Readonly<Record<string, PurchaseUsage>>,
): PurchaseLimitViolation[] {
  const violations: PurchaseLimitViolation[] = [];
  for (const limit of limits) {
    const used = usage[`${limit.scope}:${limit.period}`] ?? { count: 0, points: 0 };
    if (limit.maxCount !== undefined && used.count + 1 > limit.maxCount) {
      violations.push({
        scope: limit.scope,
        period: limit.period,
        measure: 'count',
        max: limit.maxCount,
      });
    } else if (limit.maxPoints !== undefined && used.points + pricePoints > limit.maxPoints) {
      violations.push({
        scope: limit.scope,
        period: limit.period,
        measure: 'points',
        max: limit.maxPoints,
      });
    }
  }
  return violations;
}

/** The window of a limit at `at`: its start (null: since ever) and when it resets (null: never). */
export function limitWindow(
  period: LimitPeriod,
  at: Date,
): { from: Date | null; resetsAt: Date | null } {
  return { from: periodStart(period, at), resetsAt: periodEnd(period, at) };
}

/** The partner that presents a voucher, and where the voucher's reward may be redeemed. */
export interface RedeemingPartner {
  id: string;
  kind: string;
  municipalityId: string;
  status: 'active' | 'inactive';
}

/**
 * Whether `partner` may redeem a voucher of this reward: it must be one of the named partners or
 * of the named kind, and of the issuing municipality unless the reward is region-wide. Outcomes:
 * null (yes), `voucher_out_of_scope` (a matching partner of another municipality),
 * `voucher_wrong_partner`.
 */
export function redemptionPlaceRefusal(
  voucher: Pick<Voucher, 'municipalityId' | 'scope'>,
  terms: Pick<RewardTerms, 'partnerKind' | 'partnerIds'>,
  partner: RedeemingPartner,
): RedemptionRefusal | null {
  const matches =
    terms.partnerIds.includes(partner.id) ||
    (terms.partnerKind !== null && partner.kind === terms.partnerKind);
  if (!matches || partner.status !== 'active') return 'voucher_wrong_partner';
  if (voucher.scope === 'municipality' && partner.municipalityId !== voucher.municipalityId) {
    return 'voucher_out_of_scope';
  }
  return null;
}

/**
 * Why a voucher in this state cannot be redeemed at `now`, or null when it can: redeemed,
 * cancelled, expired (also an open voucher past its expiry), or not a voucher for a till at all.
 */
export function voucherStateRefusal(
  voucher: Pick<Voucher, 'status' | 'expiresAt'>,
  now: string,
): RedemptionRefusal | null {
  switch (voucher.status) {
    case 'redeemed':
      return 'voucher_already_redeemed';
    case 'cancelled':
      return 'voucher_cancelled';
    case 'expired':
      return 'voucher_expired';
    case 'completed':
      return 'voucher_not_found';
    case 'issued':
      return voucher.expiresAt !== null && voucher.expiresAt <= now ? 'voucher_expired' : null;
  }
}

/** The value a redemption settles, in cents: the voucher's, or the discount given for a percentage. */
export function settledValueCents(
  voucher: Pick<Voucher, 'valueCents' | 'discountPercent'>,
  discountCents: number | undefined,
): number {
  if (voucher.discountPercent === null || discountCents === undefined) return voucher.valueCents;
  return Math.max(0, Math.min(discountCents, voucher.valueCents));
}

/** The ledger ids of a voucher's transfers (generation `n` counts holds: 1, then one per undo). */
export const voucherTransferIds = (voucherId: string) => ({
  hold: (n: number) => `vch:${voucherId}:hold:${n}`,
  post: (n: number) => `vch:${voucherId}:post:${n}`,
  pay: (n: number) => `vch:${voucherId}:pay:${n}`,
  void: (n: number) => `vch:${voucherId}:void:${n}`,
  undoPay: (n: number) => `vch:${voucherId}:unpay:${n}`,
  undoPost: (n: number) => `vch:${voucherId}:unpost:${n}`,
  tax: `vch:${voucherId}:tax`,
  donation: `vch:${voucherId}:donate`,
});

/** Seconds from `now` until `until` (at least 1): a hold's timeout. */
export function secondsUntil(until: string, now: Date): number {
  return Math.max(1, Math.ceil((Date.parse(until) - now.getTime()) / 1000));
}
