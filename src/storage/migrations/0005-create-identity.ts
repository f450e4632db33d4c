import { type Kysely, sql } from 'kysely';
import { columnTypes } from '../column-types.js';

/**
 * Residents, their sessions and the single-use sign-in links. Secrets (session tokens, link
 * tokens) are stored only as SHA-256 hashes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);

  await db.schema
    .createTable('residents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('municipality_id', 'text', (c) =>
      c.notNull().references('municipalities.id').onDelete('restrict'),
    )
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('preferred_locale', 'text', (c) => c.notNull())
    .addColumn('member_code', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addUniqueConstraint('residents_email_unique', ['email'])
    .addUniqueConstraint('residents_member_code_unique', ['member_code'])
    .addCheckConstraint('residents_locale_check', sql`preferred_locale in ('nl', 'fr', 'de', 'en')`)
    .addCheckConstraint('residents_status_check', sql`status in ('active', 'deleted')`)
    .execute();
  await db.schema
    .createIndex('residents_municipality_index')
    .on('residents')
    .column('municipality_id')
    .execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('token_hash', 'text', (c) => c.notNull())
    .addColumn('subject_kind', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('municipality_id', 'text', (c) =>
      c.notNull().references('municipalities.id').onDelete('restrict'),
    )
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('last_seen_at', t.timestamp, (c) => c.notNull())
    .addColumn('idle_expires_at', t.timestamp, (c) => c.notNull())
    .addColumn('absolute_expires_at', t.timestamp, (c) => c.notNull())
    .addColumn('revoked_at', t.timestamp)
    .addUniqueConstraint('sessions_token_hash_unique', ['token_hash'])
    .addCheckConstraint('sessions_subject_kind_check', sql`subject_kind in ('resident', 'staff')`)
    .execute();
  await db.schema
    .createIndex('sessions_subject_index')
    .on('sessions')
    .columns(['subject_kind', 'subject_id'])
    .execute();

  await db.schema
    .createTable('sign_in_links')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('token_hash', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('municipality_id', 'text', (c) =>
      c.references('municipalities.id').onDelete('restrict'),
    )
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('requested_ip', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('expires_at', t.timestamp, (c) => c.notNull())
    .addColumn('used_at', t.timestamp)
    .addUniqueConstraint('sign_in_links_token_hash_unique', ['token_hash'])
    .execute();
  await db.schema
    .createIndex('sign_in_links_email_index')
    .on('sign_in_links')
    .columns(['email', 'created_at'])
    .execute();
  await db.schema
    .createIndex('sign_in_links_ip_index')
    .on('sign_in_links')
    .columns(['requested_ip', 'created_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('sign_in_links').execute();
  await db.schema.dropTable('sessions').execute();
  await db.schema.dropTable('residents').execute();
}
