import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { FALLBACK_LOCALE, LOCALE_STORAGE_KEY, type Locale, toLocale } from './locales';

/** The current UI locale and a setter that switches the language and remembers the choice. */
export function useLocale(): { locale: Locale; setLocale: (locale: Locale) => void } {
  const { i18n } = useTranslation();
  const locale = toLocale(i18n.resolvedLanguage) ?? FALLBACK_LOCALE;
  const setLocale = useCallback(
    (next: Locale) => {
      try {
        localStorage.setItem(LOCALE_STORAGE_KEY, next);
      } catch {
        // Storage can be unavailable (private mode, quota); the switch still works for this visit.
      }
      void i18n.changeLanguage(next);
    },
    [i18n],
  );
  return { locale, setLocale };
}
