import { intlLocale } from '../../i18n/format';
import type { Locale } from '../../i18n/locales';

/** A date and time, short, in the locale: e.g. "1 dec. 2026 10:04" in Dutch. */
export function formatDateTime(iso: string, locale: Locale): string {
  return new Intl.DateTimeFormat(intlLocale(locale), {
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(new Date(iso));
}
