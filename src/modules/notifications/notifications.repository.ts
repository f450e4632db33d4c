import type { Db } from '../../storage/database.js';
import type { EmailOutboxTable } from '../../storage/schema.js';
import type { OutboxEmail } from './notifications.types.js';

/** SQL for the email_outbox table and nothing else. */

function toOutboxEmail(row: EmailOutboxTable): OutboxEmail {
  return {
    id: row.id,
    municipalityId: row.municipality_id,
    recipient: row.recipient,
    locale: row.locale,
    template: row.template,
    subject: row.subject,
    bodyText: row.body_text,
    bodyHtml: row.body_html,
    createdAt: row.created_at,
    sentAt: row.sent_at,
    attempts: row.attempts,
    lastError: row.last_error,
  };
}

export async function insertEmail(
  db: Db,
  email: Omit<OutboxEmail, 'sentAt' | 'attempts' | 'lastError'>,
  unsubscribeUrl: string | null,
): Promise<void> {
  await db
    .insertInto('email_outbox')
    .values({
      id: email.id,
      municipality_id: email.municipalityId,
      recipient: email.recipient,
      locale: email.locale,
      template: email.template,
      subject: email.subject,
      body_text: email.bodyText,
      body_html: email.bodyHtml,
      created_at: email.createdAt,
      sent_at: null,
      attempts: 0,
      last_error: null,
      unsubscribe_url: unsubscribeUrl,
    })
    .execute();
}

/** What a retry needs to send a message again exactly as first tried. */
export async function findForDelivery(db: Db, id: string) {
  return db
    .selectFrom('email_outbox')
    .select(['id', 'recipient', 'subject', 'body_text', 'body_html', 'sent_at', 'unsubscribe_url'])
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function markSent(db: Db, id: string, sentAt: string): Promise<void> {
  await db
    .updateTable('email_outbox')
    .set((eb) => ({ sent_at: sentAt, attempts: eb('attempts', '+', 1), last_error: null }))
    .where('id', '=', id)
    .execute();
}

export async function markFailed(db: Db, id: string, error: string): Promise<void> {
  await db
    .updateTable('email_outbox')
    .set((eb) => ({ attempts: eb('attempts', '+', 1), last_error: error }))
    .where('id', '=', id)
    .execute();
}

export async function findEmail(db: Db, id: string): Promise<OutboxEmail | undefined> {
  const row = await db
    .selectFrom('email_outbox')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  return row && toOutboxEmail(row);
}

export async function listEmails(db: Db, limit: number): Promise<OutboxEmail[]> {
  const rows = await db
    .selectFrom('email_outbox')
    .selectAll()
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toOutboxEmail);
}

export async function findLatestTo(db: Db, recipient: string): Promise<OutboxEmail | undefined> {
  const row = await db
    .selectFrom('email_outbox')
    .selectAll()
    .where('recipient', '=', recipient)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return row && toOutboxEmail(row);
}

export async function listEmailsTo(db: Db, recipient: string): Promise<OutboxEmail[]> {
  const rows = await db
    .selectFrom('email_outbox')
    .selectAll()
    .where('recipient', '=', recipient)
    .orderBy('created_at', 'asc')
    .orderBy('id', 'asc')
    .execute();
  return rows.map(toOutboxEmail);
}

/** Replaces the recipient and the bodies of every message to `recipient`; returns how many. */
export async function eraseEmailsTo(
  db: Db,
  recipient: string,
  replacement: { recipient: string; body: string },
): Promise<number> {
  const result = await db
    .updateTable('email_outbox')
    .set({
      recipient: replacement.recipient,
      body_text: replacement.body,
      body_html: replacement.body,
      last_error: null,
      unsubscribe_url: null,
    })
    .where('recipient', '=', recipient)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
