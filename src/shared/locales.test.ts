import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isLocale, LOCALES, negotiateLocale } from './locales.js';

describe('negotiateLocale', () => {
  it('picks the highest quality supported language', () => {
    expect(negotiateLocale('de-BE;q=0.5, fr-BE, en;q=0.8', 'nl')).toBe('fr');
    expect(negotiateLocale('es, en-GB;q=0.3', 'nl')).toBe('en');
    expect(negotiateLocale('nl-BE,nl;q=0.9', 'en')).toBe('nl');
  });

  it('keeps header order between equal qualities and ignores q=0', () => {
    expect(negotiateLocale('de, fr', 'nl')).toBe('de');
    expect(negotiateLocale('fr;q=0, de;q=0.1', 'nl')).toBe('de');
  });

  it('falls back when nothing matches or the header is absent', () => {
    expect(negotiateLocale(undefined, 'nl')).toBe('nl');
    expect(negotiateLocale('es, it', 'fr')).toBe('fr');
  });

  it('always returns a supported locale, whatever the header', () => {
    fc.assert(
      fc.property(fc.string(), fc.constantFrom(...LOCALES), (header, fallback) => {
        expect(isLocale(negotiateLocale(header, fallback))).toBe(true);
      }),
    );
  });
});
