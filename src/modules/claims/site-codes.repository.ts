import type { Db } from '../../storage/database.js';
import type { SiteCodeSecretsTable } from '../../storage/schema.js';

/** SQL for the site-code secrets of partner locations (sealed; this file never opens them). */

/** The sealed secret of the location, if it has one. */
export async function findSecret(
  db: Db,
  municipalityId: string,
  locationId: string,
): Promise<SiteCodeSecretsTable | undefined> {
  return db
    .selectFrom('site_code_secrets')
    .selectAll()
    .where('location_id', '=', locationId)
    .where('municipality_id', '=', municipalityId)
    .executeTakeFirst();
}

/** The sealed secrets of these locations (those that have one). */
export async function findSecrets(
  db: Db,
  municipalityId: string,
  locationIds: readonly string[],
): Promise<SiteCodeSecretsTable[]> {
  if (locationIds.length === 0) return [];
  return db
    .selectFrom('site_code_secrets')
    .selectAll()
    .where('municipality_id', '=', municipalityId)
    .where('location_id', 'in', locationIds)
    .execute();
}

/** Stores a secret unless the location has one already (two kiosks at once keep the first). */
export async function insertSecretIfMissing(db: Db, row: SiteCodeSecretsTable): Promise<void> {
  await db
    .insertInto('site_code_secrets')
    .values(row)
    .onConflict((oc) => oc.column('location_id').doNothing())
    .execute();
}

/** Replaces a secret that no longer opens (SECRETS_KEY changed): the location shows new codes. */
export async function replaceSecret(
  db: Db,
  row: Pick<SiteCodeSecretsTable, 'location_id' | 'secret_sealed' | 'created_at'>,
  previousSealed: string,
): Promise<void> {
  await db
    .updateTable('site_code_secrets')
    .set({ secret_sealed: row.secret_sealed, created_at: row.created_at })
    .where('location_id', '=', row.location_id)
    .where('secret_sealed', '=', previousSealed)
    .execute();
}
