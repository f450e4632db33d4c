import { type Kysely, sql } from 'kysely';
import { columnTypes } from '../column-types.js';
import { dialectOf } from '../dialect.js';

/**
 * Residents registered at the desk may have no email address (and a deleted account keeps none),
 * residents get an optional display name (for the member card and the desk), and sessions of
 * operator admins belong to no municipality. PostgreSQL drops the NOT NULLs in place; SQLite
 * cannot, so its two tables are rebuilt by the documented procedure (new table, copy, drop,
 * rename) with foreign keys off — migrations on SQLite run outside a transaction, so the rebuild
 * takes its own.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (dialectOf(db) === 'postgres') {
    await sql`alter table residents alter column email drop not null`.execute(db);
    await sql`alter table residents add column display_name text`.execute(db);
    await sql`alter table sessions alter column municipality_id drop not null`.execute(db);
    return;
  }
  const t = columnTypes(db);
  await sql`pragma foreign_keys = off`.execute(db);
  try {
    await sql`begin immediate`.execute(db);
    try {
      await db.schema
        .createTable('residents_rebuilt')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('municipality_id', 'text', (c) =>
          c.notNull().references('municipalities.id').onDelete('restrict'),
        )
        .addColumn('email', 'text')
        .addColumn('preferred_locale', 'text', (c) => c.notNull())
        .addColumn('member_code', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .addColumn('display_name', 'text')
        .addUniqueConstraint('residents_email_unique', ['email'])
        .addUniqueConstraint('residents_member_code_unique', ['member_code'])
        .addCheckConstraint(
          'residents_locale_check',
          sql`preferred_locale in ('nl', 'fr', 'de', 'en')`,
        )
        .addCheckConstraint('residents_status_check', sql`status in ('active', 'deleted')`)
        .execute();
      await sql`insert into residents_rebuilt (id, municipality_id, email, preferred_locale, member_code, status, created_at, updated_at)
        select id, municipality_id, email, preferred_locale, member_code, status, created_at, updated_at from residents`.execute(
        db,
      );
      await sql`drop table residents`.execute(db);
      await sql`alter table residents_rebuilt rename to residents`.execute(db);
      await db.schema
        .createIndex('residents_municipality_index')
        .on('residents')
        .column('municipality_id')
        .execute();

      await db.schema
        .createTable('sessions_rebuilt')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('token_hash', 'text', (c) => c.notNull())
        .addColumn('subject_kind', 'text', (c) => c.notNull())
        .addColumn('subject_id', 'text', (c) => c.notNull())
        .addColumn('municipality_id', 'text', (c) =>
          c.references('municipalities.id').onDelete('restrict'),
        )
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('last_seen_at', t.timestamp, (c) => c.notNull())
        .addColumn('idle_expires_at', t.timestamp, (c) => c.notNull())
        .addColumn('absolute_expires_at', t.timestamp, (c) => c.notNull())
        .addColumn('revoked_at', t.timestamp)
        .addUniqueConstraint('sessions_token_hash_unique', ['token_hash'])
        .addCheckConstraint(
          'sessions_subject_kind_check',
          sql`subject_kind in ('resident', 'staff')`,
        )
        .execute();
      await sql`insert into sessions_rebuilt select * from sessions`.execute(db);
      await sql`drop table sessions`.execute(db);
      await sql`alter table sessions_rebuilt rename to sessions`.execute(db);
      await db.schema
        .createIndex('sessions_subject_index')
        .on('sessions')
        .columns(['subject_kind', 'subject_id'])
        .execute();

      const { rows } = await sql`pragma foreign_key_check`.execute(db);
      if (rows.length > 0) throw new Error(`foreign key check failed: ${JSON.stringify(rows)}`);
      await sql`commit`.execute(db);
    } catch (error) {
      await sql`rollback`.execute(db);
      throw error;
    }
  } finally {
    await sql`pragma foreign_keys = on`.execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('0007 cannot be undone: residents without an email address would be lost');
}
