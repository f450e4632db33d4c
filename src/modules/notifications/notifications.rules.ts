import type { FieldError } from '../../shared/errors.js';
import type { Locale } from '../../shared/locales.js';
import {
  type EmailTemplate,
  TEMPLATES,
  type TemplateDefinition,
} from './notifications.templates.js';
import type { RenderedEmail } from './notifications.types.js';

/** Pure rules of the notifications module: addresses, placeholders, rendering. */

const PLACEHOLDER = /\{\{([a-zA-Z][a-zA-Z0-9_]*)\}\}/g;

/** The longest address SMTP carries (RFC 5321 path limit minus the angle brackets). */
export const MAX_EMAIL_LENGTH = 254;

// Deliberately simple: one @, no spaces or characters that break headers, a dot in the domain.
const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:".]{2,}$/;

/** True for a plausible email address (a sane check, not full RFC 5322). */
export function isEmailAddress(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value.length <= MAX_EMAIL_LENGTH &&
    EMAIL.test(value) &&
    !value
      .split('@')[1]!
      .split('.')
      .some((label) => label === '')
  );
}

/** Field errors for a recipient address; empty when it is usable. */
export function validateRecipient(to: unknown, field = '/to'): FieldError[] {
  if (isEmailAddress(to)) return [];
  return [{ field, code: 'invalid_email', message: 'Give a valid email address.' }];
}

export function isEmailTemplate(value: unknown): value is EmailTemplate {
  return typeof value === 'string' && Object.hasOwn(TEMPLATES, value);
}

/** The placeholder names a text uses, sorted and without duplicates. */
export function placeholdersOf(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1]!))].sort();
}

/** The template's declared params that `params` lacks (or gives as an empty string). */
export function missingParams(
  template: TemplateDefinition,
  params: Readonly<Record<string, string>>,
): string[] {
  return template.params.filter(
    (name) => typeof params[name] !== 'string' || params[name].trim() === '',
  );
}

export function escapeHtml(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

function fill(text: string, params: Readonly<Record<string, string>>, asHtml = false): string {
  // One pass, so a value that itself looks like a placeholder is never expanded.
  return text.replace(PLACEHOLDER, (_, name: string) => {
    const value = params[name] ?? '';
    return asHtml ? escapeHtml(value) : value;
  });
}

function isWebUrl(value: string | undefined): value is string {
  if (!value) return false;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

function toHtml(text: string, params: Readonly<Record<string, string>>, lang: Locale): string {
  const paragraphs = text.split(/\n{2,}/).map((paragraph) => {
    const only = /^\{\{([a-zA-Z][a-zA-Z0-9_]*)\}\}$/.exec(paragraph.trim());
    const value = only ? params[only[1]!] : undefined;
    if (isWebUrl(value)) {
      const href = escapeHtml(value);
      return `<p><a href="${href}">${href}</a></p>`;
    }
    return `<p>${fill(escapeHtml(paragraph), params, true).replaceAll('\n', '<br>')}</p>`;
  });
  return `<!doctype html>\n<html lang="${lang}"><body style="font-family: sans-serif; font-size: 16px; line-height: 1.5">\n${paragraphs.join('\n')}\n</body></html>\n`;
}

/**
 * Renders a template in one language: subject, plain text and simple HTML (params escaped).
 * The caller checks `missingParams` first; an absent param renders as empty text.
 */
export function renderEmail(
  template: EmailTemplate,
  locale: Locale,
  params: Readonly<Record<string, string>>,
): RenderedEmail {
  const texts = (TEMPLATES[template] as TemplateDefinition).texts[locale];
  return {
    // A line break in a header value would start a new header.
    subject: fill(texts.subject, params).replace(/[\r\n]+/g, ' '),
    text: `${fill(texts.text, params)}\n`,
    html: toHtml(texts.text, params, locale),
  };
}

/**
 * An SMTP failure as text safe to store and log: the configured URL's user name and password
 * never appear in it, and it is cut to a sensible length.
 */
export function describeDeliveryError(error: unknown, smtpUrl: string | null): string {
  let message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && !message.includes(code)) message = `${code}: ${message}`;
  if (smtpUrl) {
    try {
      const url = new URL(smtpUrl);
      for (const secret of [url.password, decodeURIComponent(url.password), url.username]) {
        if (secret.length > 0) message = message.replaceAll(secret, '***');
      }
    } catch {
      // Config validated the URL; nothing to redact if it cannot be parsed here.
    }
  }
  return message.length > 500 ? `${message.slice(0, 497)}...` : message;
}

const EMAIL_ADDRESS = /[^\s<>()[\]",;:@]+@[^\s<>()[\]",;:@]+\.[^\s<>()[\]",;:@]+/g;

/** A text with every email address in it replaced by `***@***` (for logs). */
export function maskEmailAddresses(text: string): string {
  return text.replace(EMAIL_ADDRESS, '***@***');
}
