import { type Kysely, sql } from 'kysely';
import { columnTypes } from '../column-types.js';

/**
 * Single sign-on for a municipality's staff with its own OpenID Connect provider: one row of
 * settings per municipality (the client secret sealed with SECRETS_KEY, never in clear), and the
 * short-lived, single-use state of each sign-in under way (state, nonce and PKCE verifier).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);

  await db.schema
    .createTable('municipality_oidc_settings')
    .addColumn('municipality_id', 'text', (c) =>
      c.primaryKey().references('municipalities.id').onDelete('restrict'),
    )
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('issuer', 'text', (c) => c.notNull())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('client_secret_sealed', 'text')
    .addColumn('allowed_email_domains', t.json, (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addCheckConstraint(
      'municipality_oidc_settings_status_check',
      sql`status in ('enabled', 'disabled')`,
    )
    .execute();

  await db.schema
    .createTable('oidc_sign_in_states')
    .addColumn('state_hash', 'text', (c) => c.primaryKey())
    .addColumn('municipality_id', 'text', (c) =>
      c.notNull().references('municipalities.id').onDelete('restrict'),
    )
    .addColumn('nonce', 'text', (c) => c.notNull())
    .addColumn('code_verifier', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('expires_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('oidc_sign_in_states_expiry_index')
    .on('oidc_sign_in_states')
    .columns(['municipality_id', 'expires_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('oidc_sign_in_states').execute();
  await db.schema.dropTable('municipality_oidc_settings').execute();
}
