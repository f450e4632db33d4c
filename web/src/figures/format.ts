import { intlLocale } from '../i18n/format';
import type { Locale } from '../i18n/locales';
import type { FigureUnit } from './types';

/** Formatting of the figures: percentages, months, quantities with their unit (Intl). */

/** A rate (0.3) as a percentage ("30%", "30 %"); a dash when there is none. */
export function formatPercent(rate: number | null, locale: Locale): string {
  if (rate === null) return '–';
  return new Intl.NumberFormat(intlLocale(locale), {
    style: 'percent',
    maximumFractionDigits: 1,
  }).format(rate);
}

/** A month `YYYY-MM` as "Nov 2026" (short) or "November 2026" (long) in the locale. */
export function formatMonth(month: string, locale: Locale, length: 'short' | 'long' = 'short') {
  const [year, m] = month.split('-').map(Number) as [number, number];
  return new Intl.DateTimeFormat(intlLocale(locale), {
    month: length,
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(Date.UTC(year, m - 1, 1)));
}

const INTL_UNITS: Partial<Record<FigureUnit, string>> = { kg: 'kilogram', hour: 'hour' };

/**
 * A quantity with its unit ("3.5 kg", "3 hours"; "3 hr" short, for a chart's axis); items as a
 * plain number.
 */
export function formatQuantity(
  value: number,
  unit: FigureUnit,
  locale: Locale,
  length: 'short' | 'long' = 'long',
): string {
  const intlUnit = INTL_UNITS[unit];
  return new Intl.NumberFormat(intlLocale(locale), {
    maximumFractionDigits: 1,
    ...(intlUnit && {
      style: 'unit',
      unit: intlUnit,
      unitDisplay: unit === 'kg' || length === 'short' ? 'short' : 'long',
    }),
  }).format(value);
}

/** A signed difference ("+12", "−3", "0") for "compared with last month". */
export function formatChange(value: number, locale: Locale): string {
  return new Intl.NumberFormat(intlLocale(locale), {
    signDisplay: 'exceptZero',
    maximumFractionDigits: 0,
  }).format(value);
}
