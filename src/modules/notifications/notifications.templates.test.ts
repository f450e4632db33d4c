import { describe, expect, it } from 'vitest';
import { LOCALES } from '../../shared/locales.js';
import {
  describeDeliveryError,
  isEmailAddress,
  maskEmailAddresses,
  missingParams,
  placeholdersOf,
  renderEmail,
} from './notifications.rules.js';
import { EMAIL_TEMPLATES, TEMPLATES, type TemplateDefinition } from './notifications.templates.js';

const templates = Object.entries(TEMPLATES) as [keyof typeof TEMPLATES, TemplateDefinition][];

describe('email templates', () => {
  it('include sign_in_link', () => {
    expect(EMAIL_TEMPLATES).toContain('sign_in_link');
  });

  for (const [name, template] of templates) {
    it(`${name}: exists in every language with exactly the declared placeholders`, () => {
      expect(Object.keys(template.texts).sort()).toEqual([...LOCALES].sort());
      const declared = [...template.params].sort();
      for (const locale of LOCALES) {
        const texts = template.texts[locale];
        expect(texts.subject.trim(), `${name}.${locale}.subject`).not.toBe('');
        const used = placeholdersOf(`${texts.subject}\n${texts.text}`);
        expect(used, `${name}.${locale} placeholders`).toEqual(declared);
        for (const secret of template.secret) {
          expect(placeholdersOf(texts.subject), `${name}.${locale}.subject`).not.toContain(secret);
        }
        // A stray or misspelt brace would reach the resident as is.
        const rest = `${texts.subject}\n${texts.text}`.replace(
          /\{\{[a-zA-Z][a-zA-Z0-9_]*\}\}/g,
          '',
        );
        expect(rest, `${name}.${locale}`).not.toMatch(/[{}]/);
      }
      for (const secret of template.secret) expect(template.params).toContain(secret);
    });

    it(`${name}: keeps sentences short (plain language)`, () => {
      for (const locale of LOCALES) {
        const sentences = template.texts[locale].text.split(/[.!?:]\s+|\n+/);
        for (const sentence of sentences) {
          expect(
            sentence.split(/\s+/).length,
            `${name}.${locale}: "${sentence}"`,
          ).toBeLessThanOrEqual(16);
        }
      }
    });
  }
});

describe('renderEmail', () => {
  const params = { link: 'https://punten.example.be/sign-in#t=abc&x=1', minutes: '15' };

  it('renders subject, text and HTML with the params in each language', () => {
    expect(renderEmail('sign_in_link', 'en', params)).toMatchObject({
      subject: 'Your sign-in link for CivicPoints',
      text: expect.stringContaining('The link works for 15 minutes.'),
    });
    for (const locale of LOCALES) {
      const email = renderEmail('sign_in_link', locale, params);
      expect(email.text).toContain(`\n\n${params.link}\n\n`);
      expect(email.text).not.toContain('{{');
      expect(email.html).toContain(`<html lang="${locale}">`);
      expect(email.html).toContain(
        '<a href="https://punten.example.be/sign-in#t=abc&amp;x=1">https://punten.example.be/sign-in#t=abc&amp;x=1</a>',
      );
      expect(email.html).not.toContain('{{');
    }
  });

  it('escapes params in HTML and never expands a placeholder inside a value', () => {
    const email = renderEmail('sign_in_link', 'en', { link: '<b>x</b>', minutes: '{{link}}' });
    expect(email.html).toContain('&lt;b&gt;x&lt;/b&gt;');
    expect(email.html).not.toContain('<b>');
    expect(email.text).toContain('works for {{link}} minutes');
  });

  it('lists missing or empty params', () => {
    expect(missingParams(TEMPLATES.sign_in_link, { link: 'https://x.be' })).toEqual(['minutes']);
    expect(missingParams(TEMPLATES.sign_in_link, { link: ' ', minutes: '5' })).toEqual(['link']);
    expect(missingParams(TEMPLATES.sign_in_link, params)).toEqual([]);
  });
});

describe('isEmailAddress', () => {
  it('accepts ordinary addresses', () => {
    for (const ok of ['an@pelt.be', 'jan.peeters+punten@mail.example.be', 'x_y@sub.domain.org']) {
      expect(isEmailAddress(ok), ok).toBe(true);
    }
  });

  it('refuses what is not one address', () => {
    for (const bad of [
      '',
      'an',
      'an@pelt',
      '@pelt.be',
      'an@@pelt.be',
      'an @pelt.be',
      'an@pelt..be',
      'an@.pelt.be',
      'an@pelt.be\r\nBcc: x@y.be',
      'a@b.be, c@d.be',
      'Jan <an@pelt.be>',
      `${'a'.repeat(250)}@pelt.be`,
    ]) {
      expect(isEmailAddress(bad), JSON.stringify(bad)).toBe(false);
    }
    expect(isEmailAddress(42)).toBe(false);
  });
});

describe('describeDeliveryError', () => {
  it('keeps the SMTP credentials out of the stored error', () => {
    const error = Object.assign(new Error('Invalid login for mailer / s3cr%t!'), { code: 'EAUTH' });
    const text = describeDeliveryError(error, 'smtp://mailer:s3cr%25t!@mail.example.be:587');
    expect(text).toBe('EAUTH: Invalid login for *** / ***');
  });
});

describe('maskEmailAddresses', () => {
  it('masks every address an SMTP refusal quotes, and leaves the rest', () => {
    expect(
      maskEmailAddresses(
        '550 5.1.1 <jan.peeters+x@pelt.be>: Recipient address rejected; also a@b.eu, not "5.1.1"',
      ),
    ).toBe('550 5.1.1 <***@***>: Recipient address rejected; also ***@***, not "5.1.1"');
  });
});
