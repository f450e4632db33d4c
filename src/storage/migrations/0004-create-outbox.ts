import { type Kysely, sql } from 'kysely';
import { columnTypes } from '../column-types.js';

/**
 * The email outbox: every message is written here before it is sent, so nothing is lost when
 * SMTP is down or not configured, and a later job can retry what has no `sent_at`.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);

  await db.schema
    .createTable('email_outbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // Null for messages that belong to no municipality (operator mail, sign-in before one is known).
    .addColumn('municipality_id', 'text', (c) =>
      c.references('municipalities.id').onDelete('restrict'),
    )
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('template', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('body_text', 'text', (c) => c.notNull())
    .addColumn('body_html', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('sent_at', t.timestamp)
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addCheckConstraint('email_outbox_locale_check', sql`locale in ('nl', 'fr', 'de', 'en')`)
    .addCheckConstraint('email_outbox_attempts_check', sql`attempts >= 0`)
    .execute();

  await db.schema
    .createIndex('email_outbox_recipient_index')
    .on('email_outbox')
    .columns(['recipient', 'created_at'])
    .execute();
  await db.schema
    .createIndex('email_outbox_created_at_index')
    .on('email_outbox')
    .column('created_at')
    .execute();
  await db.schema
    .createIndex('email_outbox_municipality_id_index')
    .on('email_outbox')
    .column('municipality_id')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('email_outbox').execute();
}
