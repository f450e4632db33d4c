/** The four languages of CivicPoints, in the order the language switch shows them. */
export const LOCALES = ['nl', 'fr', 'de', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

/** Where the user's explicit language choice is remembered. */
export const LOCALE_STORAGE_KEY = 'civicpoints.locale';

/** Used when the browser asks for none of our languages. */
export const FALLBACK_LOCALE: Locale = 'en';

// Each language is offered under its own name (an endonym is the same in every catalogue,
// so it is not translated).
export const LOCALE_ENDONYMS: Record<Locale, string> = {
  nl: 'Nederlands',
  fr: 'Français',
  de: 'Deutsch',
  en: 'English',
};

/** Returns whether a value is one of the four supported locales. */
export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** Maps a BCP 47 tag such as `nl-BE` to a supported locale, or null when none fits. */
export function toLocale(tag: string | null | undefined): Locale | null {
  const language = tag?.trim().toLowerCase().split(/[-_]/)[0];
  return isLocale(language) ? language : null;
}
