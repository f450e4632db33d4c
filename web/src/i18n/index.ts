import i18n from 'i18next';
import LanguageDetector from 'i18next-browser-languagedetector';
import { initReactI18next } from 'react-i18next';
import de from './de.json';
import en from './en.json';
import fr from './fr.json';
import { FALLBACK_LOCALE, LOCALE_STORAGE_KEY, LOCALES, toLocale } from './locales';
import nl from './nl.json';

// The explicit choice (localStorage) wins; otherwise the browser's languages decide.
// Nothing is cached on detection, so a visitor who never chose keeps following the browser.
void i18n
  .use(LanguageDetector)
  .use(initReactI18next)
  .init({
    resources: {
      nl: { translation: nl },
      fr: { translation: fr },
      de: { translation: de },
      en: { translation: en },
    },
    supportedLngs: [...LOCALES],
    fallbackLng: FALLBACK_LOCALE,
    load: 'languageOnly',
    interpolation: { escapeValue: false },
    returnEmptyString: false,
    detection: {
      order: ['localStorage', 'navigator'],
      lookupLocalStorage: LOCALE_STORAGE_KEY,
      caches: [],
      convertDetectedLanguage: (tag: string) => toLocale(tag) ?? tag,
    },
    react: { useSuspense: false },
  });

function syncDocumentLanguage(): void {
  document.documentElement.lang = toLocale(i18n.resolvedLanguage) ?? FALLBACK_LOCALE;
}

i18n.on('languageChanged', syncDocumentLanguage);
syncDocumentLanguage();

export default i18n;
