import { type Kysely, sql } from 'kysely';
import { columnTypes } from '../column-types.js';
import { dialectOf } from '../dialect.js';

/**
 * The people and systems that work with CivicPoints besides residents: users (municipal staff
 * with roles, operator admins of the whole region, partner users), partner organisations with
 * their locations and hashed API keys; the append-only audit log; and the failure counters
 * behind the increasing delay after repeated failed sign-ins. Sign-in links learn whom they are for.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);

  await db.schema
    .createTable('partners')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('municipality_id', 'text', (c) =>
      c.notNull().references('municipalities.id').onDelete('restrict'),
    )
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addUniqueConstraint('partners_name_unique', ['municipality_id', 'name'])
    .addCheckConstraint(
      'partners_kind_check',
      sql`kind in ('merchant', 'facility', 'charity', 'recycling_centre', 'energy_provider')`,
    )
    .addCheckConstraint('partners_status_check', sql`status in ('active', 'inactive')`)
    .execute();

  await db.schema
    .createTable('partner_locations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('partner_id', 'text', (c) =>
      c.notNull().references('partners.id').onDelete('restrict'),
    )
    .addColumn('municipality_id', 'text', (c) =>
      c.notNull().references('municipalities.id').onDelete('restrict'),
    )
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('latitude', 'double precision', (c) => c.notNull())
    .addColumn('longitude', 'double precision', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('removed_at', t.timestamp)
    .addCheckConstraint(
      'partner_locations_coordinates_check',
      sql`latitude between -90 and 90 and longitude between -180 and 180`,
    )
    .execute();
  await db.schema
    .createIndex('partner_locations_partner_index')
    .on('partner_locations')
    .column('partner_id')
    .execute();

  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('municipality_id', 'text', (c) =>
      c.references('municipalities.id').onDelete('restrict'),
    )
    .addColumn('partner_id', 'text', (c) => c.references('partners.id').onDelete('restrict'))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('roles', t.json, (c) => c.notNull())
    .addColumn('preferred_locale', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('invited_by', 'text')
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('last_sign_in_at', t.timestamp)
    .addUniqueConstraint('users_email_unique', ['email'])
    .addCheckConstraint('users_kind_check', sql`kind in ('staff', 'operator', 'partner')`)
    .addCheckConstraint('users_status_check', sql`status in ('invited', 'active', 'disabled')`)
    .addCheckConstraint('users_locale_check', sql`preferred_locale in ('nl', 'fr', 'de', 'en')`)
    // Staff belong to a municipality, partner users to a partner (of a municipality), operators
    // to the whole region.
    .addCheckConstraint(
      'users_scope_check',
      sql`(kind = 'operator' and municipality_id is null and partner_id is null)
        or (kind = 'staff' and municipality_id is not null and partner_id is null)
        or (kind = 'partner' and municipality_id is not null and partner_id is not null)`,
    )
    .execute();
  await db.schema
    .createIndex('users_municipality_index')
    .on('users')
    .columns(['municipality_id', 'kind'])
    .execute();

  await db.schema
    .createTable('api_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('partner_id', 'text', (c) =>
      c.notNull().references('partners.id').onDelete('restrict'),
    )
    .addColumn('municipality_id', 'text', (c) =>
      c.notNull().references('municipalities.id').onDelete('restrict'),
    )
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('secret_hash', 'text', (c) => c.notNull())
    .addColumn('scopes', t.json, (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('last_used_at', t.timestamp)
    .addColumn('revoked_at', t.timestamp)
    .addColumn('replaced_by', 'text')
    .addUniqueConstraint('api_keys_secret_hash_unique', ['secret_hash'])
    .execute();
  await db.schema
    .createIndex('api_keys_partner_index')
    .on('api_keys')
    .column('partner_id')
    .execute();

  await db.schema
    .createTable('audit_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('municipality_id', 'text', (c) =>
      c.references('municipalities.id').onDelete('restrict'),
    )
    .addColumn('actor_kind', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text', (c) => c.notNull())
    .addColumn('actor_roles', t.json, (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('subject_type', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('before', t.json)
    .addColumn('after', t.json)
    .addColumn('request_id', 'text')
    .addColumn('occurred_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('audit_events_municipality_index')
    .on('audit_events')
    .columns(['municipality_id', 'occurred_at'])
    .execute();
  // Append-only in the database itself, not only by convention of the code.
  if (dialectOf(db) === 'postgres') {
    await sql`create function audit_events_append_only() returns trigger language plpgsql as $$
      begin raise exception 'audit_events is append-only'; end $$`.execute(db);
    await sql`create trigger audit_events_no_change before update or delete on audit_events
      for each row execute function audit_events_append_only()`.execute(db);
  } else {
    await sql`create trigger audit_events_no_update before update on audit_events
      begin select raise(abort, 'audit_events is append-only'); end`.execute(db);
    await sql`create trigger audit_events_no_delete before delete on audit_events
      begin select raise(abort, 'audit_events is append-only'); end`.execute(db);
  }

  await db.schema
    .createTable('auth_failures')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('last_failure_at', t.timestamp, (c) => c.notNull())
    .addColumn('blocked_until', t.timestamp, (c) => c.notNull())
    .execute();

  await db.schema
    .alterTable('sign_in_links')
    .addColumn('purpose', 'text', (c) => c.notNull().defaultTo('resident'))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('sign_in_links').dropColumn('purpose').execute();
  await db.schema.dropTable('auth_failures').execute();
  if (dialectOf(db) === 'postgres') {
    await sql`drop trigger audit_events_no_change on audit_events`.execute(db);
    await sql`drop function audit_events_append_only()`.execute(db);
  }
  await db.schema.dropTable('audit_events').execute();
  await db.schema.dropTable('api_keys').execute();
  await db.schema.dropTable('users').execute();
  await db.schema.dropTable('partner_locations').execute();
  await db.schema.dropTable('partners').execute();
}
