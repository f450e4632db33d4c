import { describe, expect, it } from 'vitest';
import { formatCount, formatEuroCents, languageName } from '../../web/src/i18n/format.js';
import { toLocale } from '../../web/src/i18n/locales.js';

// Intl may use a no-break or narrow no-break space as the French group separator.
const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');

describe('web number formatting', () => {
  it('groups digits the way each language expects', () => {
    expect(formatCount(15234, 'nl')).toBe('15.234');
    expect(plain(formatCount(15234, 'fr'))).toBe('15 234');
    expect(formatCount(15234, 'de')).toBe('15.234');
    expect(formatCount(15234, 'en')).toBe('15,234');
  });

  it('shows euro cents as euros with the symbol where the language puts it', () => {
    expect(plain(formatEuroCents(1, 'nl'))).toBe('€ 0,01');
    expect(plain(formatEuroCents(123450, 'fr'))).toBe('1 234,50 €');
    expect(plain(formatEuroCents(5, 'de'))).toBe('0,05 €');
    expect(formatEuroCents(250, 'en')).toBe('€2.50');
  });

  it('names languages in the reader language, capitalised', () => {
    expect(languageName('nl', 'fr')).toBe('Néerlandais');
    expect(languageName('fr', 'nl')).toBe('Frans');
    expect(languageName('de', 'en')).toBe('German');
  });

  it('maps browser language tags to supported locales', () => {
    expect(toLocale('nl-BE')).toBe('nl');
    expect(toLocale('FR_be')).toBe('fr');
    expect(toLocale('de')).toBe('de');
    expect(toLocale('es-ES')).toBeNull();
    expect(toLocale(undefined)).toBeNull();
  });
});
