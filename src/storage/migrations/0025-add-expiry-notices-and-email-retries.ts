import type { Kysely } from 'kysely';
import { columnTypes } from '../column-types.js';

/**
 * Two background jobs' bookkeeping. `points_expiry_notices`: one row per wallet and expiry
 * instant whose "your points expire in 30 days" email was sent, so a notice goes out once however
 * often the daily job runs. `email_outbox.unsubscribe_url`: a failed email is delivered again by a
 * retry job, which must send the same one-click unsubscribe header (RFC 8058) as the first try.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);
  await db.schema
    .createTable('points_expiry_notices')
    .addColumn('account_id', 'text', (c) =>
      c.notNull().references('ledger_accounts.id').onDelete('restrict'),
    )
    .addColumn('expires_at', t.timestamp, (c) => c.notNull())
    .addColumn('municipality_id', 'text', (c) =>
      c.notNull().references('municipalities.id').onDelete('restrict'),
    )
    .addColumn('points', t.bigint, (c) => c.notNull())
    .addColumn('sent_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('points_expiry_notices_pk', ['account_id', 'expires_at'])
    .execute();
  await db.schema.alterTable('email_outbox').addColumn('unsubscribe_url', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('email_outbox').dropColumn('unsubscribe_url').execute();
  await db.schema.dropTable('points_expiry_notices').execute();
}
