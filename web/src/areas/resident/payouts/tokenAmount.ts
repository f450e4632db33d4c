import { intlLocale } from '../../../i18n/format';
import type { Locale } from '../../../i18n/locales';

// Token amounts travel as base units in decimal text (they may exceed 2^53): BigInt, never Number.

/** Base units as a decimal number of whole tokens, e.g. ("1500000000000000000", 18) → "1.5". */
export function unitsToDecimal(units: string, decimals: number): string {
  if (!/^\d+$/.test(units)) return units;
  const value = BigInt(units);
  const scale = 10n ** BigInt(decimals);
  const whole = value / scale;
  const fraction = (value % scale).toString().padStart(decimals, '0').replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : `${whole}`;
}

/** Token base units formatted for the locale with at most 6 fraction digits, e.g. "1,5". */
export function formatTokenUnits(units: string, decimals: number, locale: Locale): string {
  const [whole = '0', fraction = ''] = unitsToDecimal(units, decimals).split('.');
  const grouped = new Intl.NumberFormat(intlLocale(locale)).format(BigInt(whole));
  const shown = fraction.slice(0, 6).replace(/0+$/, '');
  if (!shown) return grouped;
  const separator =
    new Intl.NumberFormat(intlLocale(locale)).formatToParts(1.5).find((p) => p.type === 'decimal')
      ?.value ?? '.';
  return `${grouped}${separator}${shown}`;
}

/** The base units `points` turn into at `unitsPerPoint`, or null when the rate is unknown. */
export function unitsForPoints(points: number, unitsPerPoint: string | undefined): string | null {
  if (!unitsPerPoint || !/^\d+$/.test(unitsPerPoint) || !Number.isInteger(points)) return null;
  return (BigInt(points) * BigInt(unitsPerPoint)).toString();
}
