import type { TFunction } from 'i18next';
import { formatCount, formatDate, formatEuroCents, pluralForm } from '../../../i18n/format';
import type { Locale } from '../../../i18n/locales';
import { limitText, pointsAmount } from '../earn/activityTexts';
import type { Reward, Voucher } from './spendTypes';

// The plain words for a reward and a voucher, in the reader's language.

/** The reward's (or voucher's) name in the reader's language. */
export const rewardName = (names: Reward['names'], locale: Locale) => names[locale] || names.en;

/** "300 points". */
export const priceText = (t: TFunction, points: number, locale: Locale) =>
  pointsAmount(t, points, locale);

/** "Worth €3.00", or "Up to €5.00 off" for a percentage. */
export function worthText(
  t: TFunction,
  reward: Pick<Reward, 'value' | 'valueCents'>,
  locale: Locale,
): string {
  if (reward.value.mode === 'percent') {
    return t('rewards.worthPercent', {
      percent: formatCount(reward.value.percent, locale),
      amount: formatEuroCents(reward.value.maxCents, locale),
    });
  }
  return t('rewards.worth', { amount: formatEuroCents(reward.valueCents, locale) });
}

/** The limits, the stock left, how long a voucher lasts and a tax cap, one line each. */
export function rulesOf(t: TFunction, reward: Reward, locale: Locale): string[] {
  const lines = reward.limits.flatMap((limit) => limitText(t, limit, locale));
  if (reward.householdYearlyCapCents !== null) {
    lines.push(
      t('rewards.taxCap', { amount: formatEuroCents(reward.householdYearlyCapCents, locale) }),
    );
  }
  if (reward.validityDays !== null) {
    lines.push(
      t(`rewards.validity.${pluralForm(reward.validityDays, locale)}`, {
        days: formatCount(reward.validityDays, locale),
      }),
    );
  }
  if (reward.validUntil) {
    lines.push(t('rewards.until', { date: formatDate(reward.validUntil, locale) }));
  }
  return lines;
}

/** "12 left", "Only 1 left", "None left" — or null when no stock is kept. */
export function stockText(
  t: TFunction,
  reward: Pick<Reward, 'stockLeft'>,
  locale: Locale,
): string | null {
  if (reward.stockLeft === null) return null;
  if (reward.stockLeft <= 0) return t('rewards.stock.none');
  return t(`rewards.stock.left.${pluralForm(reward.stockLeft, locale)}`, {
    count: formatCount(reward.stockLeft, locale),
  });
}

/** A voucher's state in a line: until when it can be used, or when it was used, cancelled… */
export function voucherWhen(t: TFunction, voucher: Voucher, locale: Locale): string {
  switch (voucher.status) {
    case 'issued':
      return voucher.expiresAt
        ? t('vouchers.useBy', { date: formatDate(voucher.expiresAt, locale) })
        : t('vouchers.status.issued');
    case 'redeemed':
      return t('vouchers.usedOn', {
        date: formatDate(voucher.redeemedAt ?? voucher.updatedAt, locale),
      });
    case 'cancelled':
      return t('vouchers.cancelledOn', {
        date: formatDate(voucher.cancelledAt ?? voucher.updatedAt, locale),
      });
    case 'expired':
      return t('vouchers.expiredOn', {
        date: formatDate(voucher.expiredAt ?? voucher.updatedAt, locale),
      });
    case 'completed': {
      const values = {
        amount: formatEuroCents(voucher.valueCents, locale),
        date: formatDate(voucher.issuedAt, locale),
      };
      return voucher.kind === 'tax_reduction'
        ? t('vouchers.doneTax', values)
        : t('vouchers.doneDonation', values);
    }
  }
}
