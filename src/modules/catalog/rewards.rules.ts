import type { FieldError } from '../../shared/errors.js';
import { isWithinWindow, limitsErrors, textErrors, windowErrors } from './catalog.rules.js';
import type { Reward, RewardTerms } from './rewards.types.js';

/** Pure rules of the reward catalogue: which terms make sense together, what a voucher is worth. */

export const REWARD_CODE_PATTERN = /^[a-z0-9][a-z0-9-]{1,47}$/;
export const MAX_REWARD_POINTS = 1_000_000;
export const MAX_REWARD_CENTS = 10_000_000;
/** A voucher is valid at most a year and a day: the ledger's longest hold. */
export const MAX_VALIDITY_DAYS = 366;

const VOUCHER_KINDS = new Set<RewardTerms['kind']>(['facility_item', 'merchant_discount']);

/** Whether a reward of this kind issues a voucher shown at a till (rather than acting at once). */
export function issuesVoucher(kind: RewardTerms['kind']): boolean {
  return VOUCHER_KINDS.has(kind);
}

/**
 * Every problem with a reward's terms beyond the schema's types and ranges: texts in all four
 * languages, a value and validity that fit the kind, where vouchers are redeemed (or the cause),
 * a yearly cap for tax reductions, one limit per scope and period, a window that ends after it
 * starts.
 */
export function rewardTermsErrors(terms: RewardTerms): FieldError[] {
  const errors: FieldError[] = [];
  const add = (field: string, code: string, message: string) =>
    errors.push({ field, code, message });
  errors.push(...textErrors(terms));
  if (!isCount(terms.pricePoints, MAX_REWARD_POINTS)) {
    add('/pricePoints', 'range', `Ask 1 to ${MAX_REWARD_POINTS} points.`);
  }
  const value = terms.value;
  if (value.mode === 'amount' && !isCount(value.cents, MAX_REWARD_CENTS)) {
    add('/value/cents', 'range', 'Give an amount of at least 1 cent.');
  }
  if (value.mode === 'percent') {
    if (!isCount(value.percent, 100)) add('/value/percent', 'range', 'Give 1 to 100 percent.');
    if (!isCount(value.maxCents, MAX_REWARD_CENTS)) {
      add('/value/maxCents', 'range', 'Give the most the discount may be, in cents.');
    }
  }
  if (terms.kind === 'merchant_discount' && value.mode === 'points') {
    add('/value', 'discount', 'A discount is an amount or a percentage.');
  }
  if ((terms.kind === 'tax_reduction' || terms.kind === 'donation') && value.mode !== 'points') {
    add('/value', 'points', 'Tax reductions and donations are worth their points.');
  }
  if (issuesVoucher(terms.kind)) {
    if (terms.validityDays === null || !isCount(terms.validityDays, MAX_VALIDITY_DAYS)) {
      add('/validityDays', 'required', `A voucher is valid 1 to ${MAX_VALIDITY_DAYS} days.`);
    }
    if (terms.partnerKind === null && terms.partnerIds.length === 0) {
      add('/partnerKind', 'required', 'Say where the vouchers are redeemed: partners or a kind.');
    }
  } else {
    if (terms.validityDays !== null) {
      add('/validityDays', 'not_allowed', 'Only vouchers have a validity.');
    }
    if (terms.partnerKind !== null || terms.partnerIds.length > 0) {
      add('/partnerIds', 'not_allowed', 'Only vouchers are redeemed at partners.');
    }
    if (terms.scope !== 'municipality') {
      add('/scope', 'not_allowed', 'Tax reductions and donations stay in the municipality.');
    }
  }
  if (terms.kind === 'donation' && terms.causePartnerId === null) {
    add('/causePartnerId', 'required', 'Choose the charity the points go to.');
  }
  if (terms.kind !== 'donation' && terms.causePartnerId !== null) {
    add('/causePartnerId', 'not_allowed', 'Only a donation has a cause.');
  }
  if (terms.kind === 'tax_reduction') {
    if (
      terms.householdYearlyCapCents === null ||
      !isCount(terms.householdYearlyCapCents, MAX_REWARD_CENTS)
    ) {
      add('/householdYearlyCapCents', 'required', 'Give the yearly cap per household in cents.');
    }
  } else if (terms.householdYearlyCapCents !== null) {
    add('/householdYearlyCapCents', 'not_allowed', 'Only a tax reduction has a yearly cap.');
  }
  if (new Set(terms.partnerIds).size !== terms.partnerIds.length) {
    add('/partnerIds', 'duplicate', 'Name each partner once.');
  }
  errors.push(...limitsErrors(terms.limits), ...windowErrors(terms));
  return errors;
}

/** Whether residents can buy the reward at `at`: active, inside its window, stock left. */
export function isPurchasable(reward: Reward, at: string): boolean {
  return (
    reward.status === 'active' &&
    isWithinWindow(reward, at) &&
    (reward.stockLeft === null || reward.stockLeft > 0)
  );
}

/**
 * What one voucher of the reward is worth in euro cents at the municipality's point value: the
 * points' worth, the fixed amount, or — for a percentage — the most it can be.
 */
export function voucherValueCents(
  value: RewardTerms['value'],
  pricePoints: number,
  pointValueCents: number,
): number {
  switch (value.mode) {
    case 'points':
      return pricePoints * pointValueCents;
    case 'amount':
      return value.cents;
    case 'percent':
      return value.maxCents;
  }
}

function isCount(value: number, max: number) {
  return Number.isSafeInteger(value) && value >= 1 && value <= max;
}
