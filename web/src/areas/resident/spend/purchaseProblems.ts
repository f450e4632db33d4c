import type { TFunction } from 'i18next';
import { ApiError } from '../../../api/client';
import { formatCount, formatDate, formatEuroCents, pluralForm } from '../../../i18n/format';
import type { Locale } from '../../../i18n/locales';
import { purchaseReset } from './spendRules';
import type { Reward } from './spendTypes';

// What a refused or failed purchase means for the resident: what happened and what to do.

/** Where the alert points the resident next. */
export type NextStep = 'earn' | 'household' | 'rewards' | 'vouchers' | 'signIn' | null;

export interface PurchaseProblem {
  title: string;
  text: string;
  next: NextStep;
  /** A refusal (the rules say no) reads as a notice; a failure (nothing arrived) as an error. */
  refusal: boolean;
  /** The kept clientPurchaseId must not be sent again (the API said it belongs to another purchase). */
  newPurchaseId?: boolean;
}

type RefusalCode =
  | 'insufficient_points'
  | 'purchase_limit_reached'
  | 'out_of_stock'
  | 'tax_cap_reached'
  | 'household_required'
  | 'reward_unavailable';

/** Explains why "Buy" did not buy. */
export function explainPurchaseFailure(
  t: TFunction,
  error: unknown,
  reward: Pick<Reward, 'pricePoints'>,
  locale: Locale,
): PurchaseProblem {
  const failure = (text: string, next: NextStep = null): PurchaseProblem => ({
    title: t('buy.errors.title'),
    text,
    next,
    refusal: false,
  });
  const refusal = (code: RefusalCode, text: string, next: NextStep): PurchaseProblem => ({
    title: t(`buy.refusal.${code}.title`),
    text,
    next,
    refusal: true,
  });
  if (!(error instanceof ApiError) || error.kind === 'network') {
    return failure(t('buy.errors.network'));
  }
  if (error.status === 401) return failure(t('buy.errors.signedOut'), 'signIn');
  if (error.status === 429) return failure(t('buy.errors.rateLimited'));
  const details = error.details;
  const count = (name: string) => {
    const value = Number(details[name]);
    return Number.isFinite(value) ? value : null;
  };
  switch (error.code) {
    case 'insufficient_points': {
      const needed = count('needed') ?? reward.pricePoints;
      const available = count('available');
      return refusal(
        'insufficient_points',
        available === null
          ? t('buy.refusal.insufficient_points.unknown')
          : t(`buy.refusal.insufficient_points.text.${pluralForm(available, locale)}`, {
              needed: formatCount(needed, locale),
              available: formatCount(available, locale),
              short: formatCount(Math.max(0, needed - available), locale),
            }),
        'earn',
      );
    }
    case 'purchase_limit_reached': {
      const reset = purchaseReset(details);
      const scope = details.scope === 'household' ? 'household' : 'resident';
      const text =
        reset.kind === 'date'
          ? t(`buy.refusal.purchase_limit_reached.date.${scope}`, {
              date: formatDate(`${reset.date}T12:00:00Z`, locale),
            })
          : reset.kind === 'never'
            ? t(`buy.refusal.purchase_limit_reached.never.${scope}`)
            : t('buy.refusal.purchase_limit_reached.unknown');
      return refusal('purchase_limit_reached', text, 'vouchers');
    }
    case 'out_of_stock':
      return refusal('out_of_stock', t('buy.refusal.out_of_stock.text'), 'rewards');
    case 'tax_cap_reached': {
      const left = count('leftCents');
      const reset = purchaseReset(details);
      const date = reset.kind === 'date' ? formatDate(`${reset.date}T12:00:00Z`, locale) : null;
      const text =
        left !== null && left > 0
          ? t('buy.refusal.tax_cap_reached.left', { amount: formatEuroCents(left, locale) })
          : date
            ? t('buy.refusal.tax_cap_reached.full', { date })
            : t('buy.refusal.tax_cap_reached.fullNoDate');
      return refusal('tax_cap_reached', text, 'rewards');
    }
    case 'household_required':
      return refusal('household_required', t('buy.refusal.household_required.text'), 'household');
    case 'reward_unavailable':
    case 'reward_not_found':
    case 'not_found':
      return refusal('reward_unavailable', t('buy.refusal.reward_unavailable.text'), 'rewards');
    case 'purchase_id_reused':
      return { ...failure(t('buy.errors.again')), newPurchaseId: true };
    default:
      return failure(t('buy.errors.server'));
  }
}
