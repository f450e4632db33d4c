import { createTransport, type Transporter } from 'nodemailer';
import { pino } from 'pino';
import { enqueueJob } from '../../jobs/enqueue.js';
import type { ServiceContext } from '../../shared/context.js';
import { DomainError, type FieldError, invalidInput } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import { isLocale } from '../../shared/locales.js';
import { recordEmailDelivery } from '../../shared/telemetry.js';
import type { Storage } from '../../storage/database.js';
import * as repo from './notifications.repository.js';
import {
  describeDeliveryError,
  isEmailTemplate,
  maskEmailAddresses,
  missingParams,
  renderEmail,
  validateRecipient,
} from './notifications.rules.js';
import { TEMPLATES, type TemplateDefinition } from './notifications.templates.js';
import {
  type EmailMessage,
  type NotificationsLogger,
  type NotificationsSettings,
  type OutboxEmail,
  REDELIVER_EMAIL_JOB,
  type SendEmailResult,
} from './notifications.types.js';

export { REDELIVER_EMAIL_JOB };

export const DEFAULT_MAIL_FROM = 'CivicPoints <no-reply@localhost>';

/** How long a connection, the server's greeting and an idle socket may take before we give up. */
export const SMTP_TIMEOUT_MS = 10_000;

const MAX_LIST_LIMIT = 500;

// ServiceContext carries no configuration, so each storage (one per app) gets its settings here,
// the way the ledger keeps its per-storage writers.
const settingsByStorage = new WeakMap<Storage, NotificationsSettings>();
// One transport per SMTP URL per process; a non-pooled transport opens a connection per message.
const transports = new Map<string, Transporter>();
let defaultLogger: NotificationsLogger | undefined;

/** Sets how the app on this storage sends email (call once from buildApp); replaces earlier settings. */
export function configureNotifications(storage: Storage, settings: NotificationsSettings): void {
  settingsByStorage.set(storage, { ...settings });
}

function settingsFor(storage: Storage): NotificationsSettings {
  return settingsByStorage.get(storage) ?? { smtpUrl: null, mailFrom: DEFAULT_MAIL_FROM };
}

function loggerOf(settings: NotificationsSettings): NotificationsLogger {
  if (settings.logger) return settings.logger;
  defaultLogger ??= pino({ base: { module: 'notifications' } });
  return defaultLogger;
}

function transportFor(smtpUrl: string): Transporter {
  let transport = transports.get(smtpUrl);
  if (!transport) {
    transport = createTransport({
      url: smtpUrl,
      connectionTimeout: SMTP_TIMEOUT_MS,
      greetingTimeout: SMTP_TIMEOUT_MS,
      socketTimeout: SMTP_TIMEOUT_MS,
      dnsTimeout: SMTP_TIMEOUT_MS,
    } as Parameters<typeof createTransport>[0]);
    transports.set(smtpUrl, transport);
  }
  return transport;
}

function validateMessage(message: EmailMessage): FieldError[] {
  const errors = validateRecipient(message?.to);
  if (!isEmailTemplate(message?.template)) {
    errors.push({
      field: '/template',
      code: 'unknown_template',
      message: 'Unknown email template.',
    });
  }
  if (!isLocale(message?.locale)) {
    errors.push({ field: '/locale', code: 'invalid_locale', message: 'Use nl, fr, de or en.' });
  }
  const params: unknown = message?.params;
  if (typeof params !== 'object' || params === null || Array.isArray(params)) {
    errors.push({
      field: '/params',
      code: 'invalid_params',
      message: 'Give the params as an object of texts.',
    });
  }
  return errors;
}

/**
 * Renders a template, writes it to the outbox, then delivers it over SMTP when this storage's app
 * has SMTP configured (without SMTP it stays in the outbox and one line with its id and subject
 * is logged). Every outcome is counted in the metrics (sent, failed, outbox). Outcomes: `{ id, delivered }` — delivered=false when SMTP is not configured or
 * delivery failed (recorded on the row, never thrown); `invalid_input` for a bad address, template
 * or locale and `email_param_missing` for a missing param, both writing nothing.
 */
export async function sendEmail(
  ctx: ServiceContext,
  message: EmailMessage,
): Promise<SendEmailResult> {
  const errors = validateMessage(message);
  if (errors.length > 0) throw invalidInput(errors);
  const definition: TemplateDefinition = TEMPLATES[message.template];
  const missing = missingParams(definition, message.params);
  if (missing.length > 0) {
    throw new DomainError(
      'email_param_missing',
      'invalid',
      `The email template "${message.template}" needs: ${missing.join(', ')}.`,
      { details: { template: message.template, missing } },
    );
  }

  const rendered = renderEmail(message.template, message.locale, message.params);
  const now = ctx.clock.now();
  const id = newId('eml', now);
  await repo.insertEmail(
    ctx.db,
    {
      id,
      municipalityId: message.municipalityId ?? null,
      recipient: message.to,
      locale: message.locale,
      template: message.template,
      subject: rendered.subject,
      bodyText: rendered.text,
      bodyHtml: rendered.html,
      createdAt: now.toISOString(),
    },
    message.unsubscribeUrl ?? null,
  );

  const settings = settingsFor(ctx.storage);
  const logger = loggerOf(settings);
  // Only the outbox id, template and subject are logged: the address is personal data (the
  // outbox row holds it, for whoever may read the outbox), bodies can hold secrets such as
  // sign-in links, and templates keep personal and secret params out of subjects.
  const logFields = { emailId: id, template: message.template, subject: rendered.subject };
  if (!settings.smtpUrl) {
    recordEmailDelivery('outbox');
    logger.info(logFields, 'email kept in the outbox (no SMTP configured)');
    return { id, delivered: false };
  }

  const failure = await deliver(settings.smtpUrl, settings.mailFrom, {
    id,
    to: message.to,
    subject: rendered.subject,
    text: rendered.text,
    html: rendered.html,
    unsubscribeUrl: message.unsubscribeUrl ?? null,
  });
  if (failure) {
    await repo.markFailed(ctx.db, id, failure);
    recordEmailDelivery('failed');
    // Tried again later by the retry job, with backoff; it is written with the caller's
    // transaction, if any, so a rolled-back change leaves no retry of its email behind.
    await enqueueJob(ctx, REDELIVER_EMAIL_JOB, { emailId: id });
    // An SMTP server's refusal often quotes the address: the log gets it masked.
    logger.warn(
      { ...logFields, error: maskEmailAddresses(failure) },
      'email delivery failed; it stays in the outbox and is tried again later',
    );
    return { id, delivered: false };
  }
  await repo.markSent(ctx.db, id, ctx.clock.now().toISOString());
  recordEmailDelivery('sent');
  logger.info(logFields, 'email sent');
  return { id, delivered: true };
}

interface Deliverable {
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  unsubscribeUrl: string | null;
}

/** Hands one message to the SMTP server; the failure's description, or null when accepted. */
async function deliver(
  smtpUrl: string,
  mailFrom: string,
  email: Deliverable,
): Promise<string | null> {
  try {
    await transportFor(smtpUrl).sendMail({
      from: mailFrom,
      to: email.to,
      subject: email.subject,
      text: email.text,
      html: email.html,
      messageId: `<${email.id}@civicpoints>`,
      headers: {
        'Auto-Submitted': 'auto-generated',
        ...(email.unsubscribeUrl && {
          'List-Unsubscribe': `<${email.unsubscribeUrl}>`,
          'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
        }),
      },
    });
    return null;
  } catch (error) {
    return describeDeliveryError(error, smtpUrl);
  }
}

/**
 * Delivers an outbox message again (the retry job). Nothing to do when it was sent meanwhile,
 * erased, or SMTP is no longer configured; a failure is recorded and thrown, so the job system
 * tries again with backoff and finally parks it (the message stays in the outbox as failed).
 */
export async function redeliverEmail(ctx: ServiceContext, emailId: string): Promise<boolean> {
  const settings = settingsFor(ctx.storage);
  const row = await repo.findForDelivery(ctx.db, emailId);
  if (!row || row.sent_at !== null || row.recipient === ERASED_RECIPIENT || !settings.smtpUrl) {
    return false;
  }
  const failure = await deliver(settings.smtpUrl, settings.mailFrom, {
    id: row.id,
    to: row.recipient,
    subject: row.subject,
    text: row.body_text,
    html: row.body_html,
    unsubscribeUrl: row.unsubscribe_url,
  });
  if (failure) {
    await repo.markFailed(ctx.db, emailId, failure);
    recordEmailDelivery('failed');
    throw new Error(`email ${emailId} not delivered: ${maskEmailAddresses(failure)}`);
  }
  await repo.markSent(ctx.db, emailId, ctx.clock.now().toISOString());
  recordEmailDelivery('sent');
  loggerOf(settings).info({ emailId, subject: row.subject }, 'email sent on a later try');
  return true;
}

/** The outbox, newest first, at most `limit` (1-500) messages; `invalid_input` for a bad limit. */
export async function listOutbox(
  ctx: ServiceContext,
  input: { limit: number },
): Promise<OutboxEmail[]> {
  const limit = input?.limit;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIST_LIMIT) {
    throw invalidInput([
      {
        field: '/limit',
        code: 'out_of_range',
        message: `Give a whole number from 1 to ${MAX_LIST_LIMIT}.`,
      },
    ]);
  }
  return repo.listEmails(ctx.db, limit);
}

/** The newest outbox message to exactly this address, or undefined. */
export async function findLatestEmailTo(
  ctx: ServiceContext,
  recipient: string,
): Promise<OutboxEmail | undefined> {
  return repo.findLatestTo(ctx.db, recipient);
}

/** One outbox message by id, or undefined. */
export async function findEmail(ctx: ServiceContext, id: string): Promise<OutboxEmail | undefined> {
  return repo.findEmail(ctx.db, id);
}

/** Every outbox message to exactly this address, oldest first (for a resident's data export). */
export async function listEmailsTo(ctx: ServiceContext, recipient: string): Promise<OutboxEmail[]> {
  return repo.listEmailsTo(ctx.db, recipient);
}

/** What an erased message's recipient becomes: an address of the reserved `.invalid` domain. */
export const ERASED_RECIPIENT = 'erased@erased.invalid';

/**
 * Erases the messages to this address (an account was deleted): the recipient and the bodies
 * (which hold links and may hold names) are replaced; the template, language, subject (which by
 * rule carries nothing personal or secret) and times stay for delivery figures. Returns how many.
 */
export async function eraseEmailsTo(ctx: ServiceContext, recipient: string): Promise<number> {
  return repo.eraseEmailsTo(ctx.db, recipient, { recipient: ERASED_RECIPIENT, body: '' });
}
