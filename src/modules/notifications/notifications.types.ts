import type { Locale } from '../../shared/locales.js';
import type { EmailTemplate } from './notifications.templates.js';

export type { EmailTemplate } from './notifications.templates.js';

/** The retry job of an email whose delivery failed: 6 more tries over about an hour. */
export const REDELIVER_EMAIL_JOB = 'notifications.redeliver';

/** What a module asks to send: a template in one language with its parameters. */
export interface EmailMessage {
  to: string;
  template: EmailTemplate;
  locale: Locale;
  params: Record<string, string>;
  /** The municipality the message is about, when there is one (kept on the outbox row). */
  municipalityId?: string | null;
  /**
   * A one-click unsubscribe URL (RFC 8058) for messages a resident chose to receive, such as
   * digests: sent as `List-Unsubscribe` with `List-Unsubscribe-Post`, so mail apps offer the button.
   */
  unsubscribeUrl?: string;
}

/** `delivered` is true only when an SMTP server accepted the message. */
export interface SendEmailResult {
  id: string;
  delivered: boolean;
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

/** One row of the outbox: what was (or will be) sent, and how delivery went. */
export interface OutboxEmail {
  id: string;
  municipalityId: string | null;
  recipient: string;
  locale: Locale;
  template: string;
  subject: string;
  bodyText: string;
  bodyHtml: string;
  createdAt: string;
  sentAt: string | null;
  attempts: number;
  lastError: string | null;
}

/** Where log lines go; a pino or Fastify logger fits. */
export interface NotificationsLogger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
}

export interface NotificationsSettings {
  /** `smtp://user:pass@host:port` or `smtps://…`; null keeps every message in the outbox. */
  smtpUrl: string | null;
  /** The From header, e.g. `CivicPoints <no-reply@localhost>`. */
  mailFrom: string;
  /** Defaults to a pino logger on standard output. */
  logger?: NotificationsLogger;
}
