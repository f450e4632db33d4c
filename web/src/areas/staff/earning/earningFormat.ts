// `.js` so that test/web (NodeNext resolution) can import this file too.
import { intlLocale } from '../../../i18n/format.js';
import type { Locale } from '../../../i18n/locales.js';
import type { Points } from './earningTypes.js';

/** A distance for a reviewer: "850 m" below a kilometre, "2.4 km" (one decimal) above. */
export function formatDistance(meters: number, locale: Locale): string {
  if (meters < 1000) {
    return new Intl.NumberFormat(intlLocale(locale), {
      style: 'unit',
      unit: 'meter',
      maximumFractionDigits: 0,
    }).format(Math.round(meters));
  }
  return new Intl.NumberFormat(intlLocale(locale), {
    style: 'unit',
    unit: 'kilometer',
    maximumFractionDigits: meters < 10_000 ? 1 : 0,
  }).format(meters / 1000);
}

/** A quantity (up to 3 decimals) in the locale's digits, e.g. "2,5" in Dutch. */
export function formatQuantity(quantity: number, locale: Locale): string {
  return new Intl.NumberFormat(intlLocale(locale), { maximumFractionDigits: 3 }).format(quantity);
}

/**
 * The points a quantity earns under the terms, as the API computes them: fixed points, or
 * floor(quantity × points per unit) up to the maximum per claim (quantities in thousandths).
 */
export function pointsFor(points: Points, quantity: number): number {
  if (points.mode === 'fixed') return points.points;
  const milli = Math.round(quantity * 1000);
  return Math.min(Math.floor((milli * points.pointsPerUnit) / 1000), points.maxPointsPerClaim);
}
