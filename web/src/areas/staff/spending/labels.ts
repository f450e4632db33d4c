import type { TFunction } from 'i18next';
import { formatCount, formatEuroCents, intlLocale, pluralForm } from '../../../i18n/format';
import type { Locale } from '../../../i18n/locales';
import type { Reward } from './spendingTypes';

/** "300 points". */
export function pointsText(points: number, t: TFunction, locale: Locale): string {
  return t(`catalogue.pointsFixed.${pluralForm(points, locale)}`, {
    points: formatCount(points, locale),
  });
}

/** What a voucher is worth: "€ 3,00", "10 %, at most € 5,00". */
export function rewardValueText(reward: Reward, t: TFunction, locale: Locale): string {
  const value = reward.value;
  if (value.mode === 'percent') {
    return t('staffRewards.list.percentValue', {
      percent: formatPercentWhole(value.percent, locale),
      max: formatEuroCents(value.maxCents, locale),
    });
  }
  return formatEuroCents(reward.valueCents, locale);
}

/** A whole percentage, "10%" or "10 %" as the locale writes it. */
export function formatPercentWhole(percent: number, locale: Locale): string {
  return new Intl.NumberFormat(intlLocale(locale), { style: 'percent' }).format(percent / 100);
}

/** A month `YYYY-MM` before `now`'s month (the month whose statements are due). */
export function lastMonthOf(now: Date): string {
  const year = now.getFullYear();
  const month = now.getMonth(); // 0-based: this is last month's 1-based number
  return month === 0 ? `${year - 1}-12` : `${year}-${String(month).padStart(2, '0')}`;
}
