import { type Kysely, sql } from 'kysely';
import { columnTypes } from '../column-types.js';

/**
 * Residents' passkeys (WebAuthn credentials: only the public key is stored) and the WebAuthn
 * challenges already used, so that none can be used twice. A challenge is recorded when it is
 * used, not when it is handed out: asking for options writes nothing (see passkeys.rules.ts).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);
  await db.schema
    .createTable('passkeys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('municipality_id', 'text', (c) =>
      c.notNull().references('municipalities.id').onDelete('restrict'),
    )
    .addColumn('resident_id', 'text', (c) =>
      c.notNull().references('residents.id').onDelete('restrict'),
    )
    .addColumn('credential_id', 'text', (c) => c.notNull())
    .addColumn('public_key', 'text', (c) => c.notNull())
    .addColumn('counter', t.bigint, (c) => c.notNull())
    .addColumn('transports', t.json, (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('last_used_at', t.timestamp)
    .addUniqueConstraint('passkeys_credential_id_unique', ['credential_id'])
    .execute();
  await db.schema
    .createIndex('passkeys_resident_index')
    .on('passkeys')
    .columns(['resident_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('passkeys_municipality_index')
    .on('passkeys')
    .column('municipality_id')
    .execute();

  await db.schema
    .createTable('webauthn_challenges')
    .addColumn('challenge_hash', 'text', (c) => c.primaryKey())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('resident_id', 'text', (c) => c.references('residents.id').onDelete('restrict'))
    .addColumn('municipality_id', 'text', (c) =>
      c.references('municipalities.id').onDelete('restrict'),
    )
    .addColumn('expires_at', t.timestamp, (c) => c.notNull())
    .addColumn('used_at', t.timestamp, (c) => c.notNull())
    .addCheckConstraint(
      'webauthn_challenges_purpose_check',
      sql`purpose in ('registration', 'authentication')`,
    )
    .execute();
  await db.schema
    .createIndex('webauthn_challenges_expires_index')
    .on('webauthn_challenges')
    .column('expires_at')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('webauthn_challenges').execute();
  await db.schema.dropTable('passkeys').execute();
}
