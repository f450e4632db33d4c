import type { Db } from '../../storage/database.js';
import type { MunicipalityOidcSettingsTable } from '../../storage/schema.js';
import type { StoredOidcSettings } from './oidc.types.js';

/** SQL for single sign-on: each municipality's OIDC settings and the sign-ins under way. */

function toSettings(row: MunicipalityOidcSettingsTable): StoredOidcSettings {
  return {
    municipalityId: row.municipality_id,
    enabled: row.status === 'enabled',
    issuer: row.issuer,
    clientId: row.client_id,
    clientSecretSealed: row.client_secret_sealed,
    allowedEmailDomains: JSON.parse(row.allowed_email_domains),
    updatedAt: row.updated_at,
  };
}

export async function findSettings(
  db: Db,
  municipalityId: string,
): Promise<StoredOidcSettings | undefined> {
  const row = await db
    .selectFrom('municipality_oidc_settings')
    .selectAll()
    .where('municipality_id', '=', municipalityId)
    .executeTakeFirst();
  return row && toSettings(row);
}

/** The municipalities whose staff can sign in with single sign-on (public: no settings). */
export async function listEnabledMunicipalityIds(db: Db): Promise<string[]> {
  const rows = await db
    .selectFrom('municipality_oidc_settings')
    .select('municipality_id')
    .where('status', '=', 'enabled')
    .execute();
  return rows.map((row) => row.municipality_id);
}

export async function saveSettings(
  db: Db,
  settings: StoredOidcSettings,
  by: { updatedBy: string | null; now: string },
): Promise<void> {
  const values = {
    status: settings.enabled ? ('enabled' as const) : ('disabled' as const),
    issuer: settings.issuer,
    client_id: settings.clientId,
    client_secret_sealed: settings.clientSecretSealed,
    allowed_email_domains: JSON.stringify(settings.allowedEmailDomains),
    updated_by: by.updatedBy,
    updated_at: by.now,
  };
  await db
    .insertInto('municipality_oidc_settings')
    .values({ municipality_id: settings.municipalityId, created_at: by.now, ...values })
    .onConflict((oc) => oc.column('municipality_id').doUpdateSet(values))
    .execute();
}

export async function insertSignInState(
  db: Db,
  state: {
    stateHash: string;
    municipalityId: string;
    nonce: string;
    codeVerifier: string;
    now: string;
    expiresAt: string;
  },
): Promise<void> {
  await db
    .insertInto('oidc_sign_in_states')
    .values({
      state_hash: state.stateHash,
      municipality_id: state.municipalityId,
      nonce: state.nonce,
      code_verifier: state.codeVerifier,
      created_at: state.now,
      expires_at: state.expiresAt,
    })
    .execute();
}

/** Removes a municipality's sign-in states that expired, so abandoned sign-ins do not pile up. */
export async function deleteExpiredSignInStates(db: Db, municipalityId: string, now: string) {
  await db
    .deleteFrom('oidc_sign_in_states')
    .where('municipality_id', '=', municipalityId)
    .where('expires_at', '<=', now)
    .execute();
}

/**
 * Takes the sign-in state with this hash out of the table: whoever deletes it first has it, so
 * two requests with the same state cannot both use it.
 */
export async function takeSignInState(db: Db, stateHash: string) {
  const row = await db
    .deleteFrom('oidc_sign_in_states')
    .where('state_hash', '=', stateHash)
    .returningAll()
    .executeTakeFirst();
  return (
    row && {
      municipalityId: row.municipality_id,
      nonce: row.nonce,
      codeVerifier: row.code_verifier,
      expiresAt: row.expires_at,
    }
  );
}
