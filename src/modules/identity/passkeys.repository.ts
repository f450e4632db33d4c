import type { Db } from '../../storage/database.js';
import type { PasskeysTable, WebauthnChallengesTable } from '../../storage/schema.js';
import type { Passkey } from './identity.types.js';

/** SQL for passkeys and used WebAuthn challenges. */

/** A stored passkey with what verifying a sign-in needs. */
export interface StoredPasskey extends Passkey {
  municipalityId: string;
  residentId: string;
  credentialId: string;
  publicKey: string;
  counter: number;
  transports: string[];
}

function toStored(row: PasskeysTable): StoredPasskey {
  const transports: unknown = JSON.parse(row.transports);
  return {
    id: row.id,
    municipalityId: row.municipality_id,
    residentId: row.resident_id,
    credentialId: row.credential_id,
    publicKey: row.public_key,
    counter: Number(row.counter),
    transports: Array.isArray(transports) ? transports.filter((t) => typeof t === 'string') : [],
    name: row.name,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
  };
}

/** What a resident sees of a passkey. */
export function toPasskey(stored: StoredPasskey): Passkey {
  return {
    id: stored.id,
    name: stored.name,
    createdAt: stored.createdAt,
    lastUsedAt: stored.lastUsedAt,
  };
}

export async function listPasskeysOf(db: Db, residentId: string): Promise<StoredPasskey[]> {
  const rows = await db
    .selectFrom('passkeys')
    .selectAll()
    .where('resident_id', '=', residentId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toStored);
}

/** The resident's own passkey with this id (another resident's is simply not found). */
export async function findPasskeyOf(
  db: Db,
  residentId: string,
  id: string,
): Promise<StoredPasskey | undefined> {
  const row = await db
    .selectFrom('passkeys')
    .selectAll()
    .where('resident_id', '=', residentId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row && toStored(row);
}

export async function findPasskeyByCredentialId(
  db: Db,
  credentialId: string,
): Promise<StoredPasskey | undefined> {
  const row = await db
    .selectFrom('passkeys')
    .selectAll()
    .where('credential_id', '=', credentialId)
    .executeTakeFirst();
  return row && toStored(row);
}

export async function insertPasskey(db: Db, passkey: StoredPasskey) {
  await db
    .insertInto('passkeys')
    .values({
      id: passkey.id,
      municipality_id: passkey.municipalityId,
      resident_id: passkey.residentId,
      credential_id: passkey.credentialId,
      public_key: passkey.publicKey,
      counter: passkey.counter,
      transports: JSON.stringify(passkey.transports),
      name: passkey.name,
      created_at: passkey.createdAt,
      last_used_at: passkey.lastUsedAt,
    })
    .execute();
}

/** Renames the resident's passkey; true when there was one. */
export async function renamePasskey(
  db: Db,
  residentId: string,
  id: string,
  name: string,
): Promise<boolean> {
  const result = await db
    .updateTable('passkeys')
    .set({ name })
    .where('resident_id', '=', residentId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Removes the resident's passkey; true when there was one. */
export async function deletePasskey(db: Db, residentId: string, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom('passkeys')
    .where('resident_id', '=', residentId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

/**
 * Records a sign-in with the passkey: the authenticator's new counter and the time. Only moves
 * forward from the counter that was verified, so two sign-ins racing cannot both pass.
 */
export async function markPasskeyUsed(
  db: Db,
  id: string,
  verifiedCounter: number,
  newCounter: number,
  now: string,
): Promise<boolean> {
  const result = await db
    .updateTable('passkeys')
    .set({ counter: newCounter, last_used_at: now })
    .where('id', '=', id)
    .where('counter', '=', verifiedCounter)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function isChallengeUsed(db: Db, challengeHash: string): Promise<boolean> {
  const row = await db
    .selectFrom('webauthn_challenges')
    .select('challenge_hash')
    .where('challenge_hash', '=', challengeHash)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Records a challenge as used (a unique violation means someone used it first) and forgets the
 * used challenges that have expired anyway, so the table stays small.
 */
export async function insertUsedChallenge(db: Db, row: WebauthnChallengesTable) {
  await db.deleteFrom('webauthn_challenges').where('expires_at', '<', row.used_at).execute();
  await db.insertInto('webauthn_challenges').values(row).execute();
}

/** Removes every passkey of the resident (account deletion); returns how many. */
export async function deletePasskeysOf(db: Db, residentId: string): Promise<number> {
  const result = await db
    .deleteFrom('passkeys')
    .where('resident_id', '=', residentId)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
