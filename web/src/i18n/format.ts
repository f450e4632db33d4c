// `.js` so that test/web (NodeNext resolution) can import this file too.
import type { Locale } from './locales.js';

// Belgian conventions for nl, fr and de; British for English, whose readers expect 1,234.
const INTL_LOCALE: Record<Locale, string> = {
  nl: 'nl-BE',
  fr: 'fr-BE',
  de: 'de-BE',
  en: 'en-GB',
};

/** The Intl locale tag used to format numbers and currency for a UI locale. */
export function intlLocale(locale: Locale): string {
  return INTL_LOCALE[locale];
}

/** Formats a whole number (a count) with the locale's digit grouping. */
export function formatCount(value: number, locale: Locale): string {
  return new Intl.NumberFormat(INTL_LOCALE[locale], { maximumFractionDigits: 0 }).format(value);
}

/** Formats an amount in euro cents as euros, e.g. 150 → "€ 1,50" in Dutch. */
export function formatEuroCents(cents: number, locale: Locale): string {
  return new Intl.NumberFormat(INTL_LOCALE[locale], {
    style: 'currency',
    currency: 'EUR',
    minimumFractionDigits: 2,
    maximumFractionDigits: 4,
  }).format(cents / 100);
}

/** The name of a language in the given UI locale, capitalised (e.g. "Néerlandais"). */
export function languageName(language: Locale, locale: Locale): string {
  const name = new Intl.DisplayNames([INTL_LOCALE[locale]], { type: 'language' }).of(language);
  if (!name) return language;
  return name.charAt(0).toLocaleUpperCase(INTL_LOCALE[locale]) + name.slice(1);
}

/** Formats an ISO date-time as a long date in the locale, e.g. "1 december 2027" in Dutch. */
export function formatDate(iso: string, locale: Locale): string {
  return new Intl.DateTimeFormat(INTL_LOCALE[locale], { dateStyle: 'long' }).format(new Date(iso));
}

/** The plural form a catalogue has for a count: `one` or `other` (the only two it holds). */
export function pluralForm(count: number, locale: Locale): 'one' | 'other' {
  return new Intl.PluralRules(INTL_LOCALE[locale]).select(count) === 'one' ? 'one' : 'other';
}
