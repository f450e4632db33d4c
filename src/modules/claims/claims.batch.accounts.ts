import type { ServiceContext } from '../../shared/context.js';
import type { Storage } from '../../storage/database.js';
import * as ledger from '../ledger/ledger.service.js';

/**
 * The ledger accounts an import pays between, found (or opened in bulk) before its batch's
 * transaction and remembered per database: an account's id never changes.
 */

const walletCaches = new WeakMap<Storage, Map<string, string>>();
/** So many wallet ids are remembered per database; then the cache starts afresh. */
const WALLETS_REMEMBERED = 100_000;

/** The issuance account and the wallets of these residents (opened in bulk when missing). */
export async function importAccounts(
  ctx: ServiceContext,
  municipalityId: string,
  residentIds: readonly string[],
): Promise<{ issuance: string; wallets: Map<string, string> }> {
  let cache = walletCaches.get(ctx.storage);
  if (!cache) {
    cache = new Map();
    walletCaches.set(ctx.storage, cache);
  }
  const issuanceKey = `${municipalityId}:issuance`;
  let issuance = cache.get(issuanceKey);
  if (!issuance) {
    issuance = (await ledger.openAccount(ctx, { municipalityId, kind: 'issuance' })).id;
  }
  const wallets = new Map<string, string>();
  const missing: string[] = [];
  for (const residentId of new Set(residentIds)) {
    const id = cache.get(`${municipalityId}:${residentId}`);
    if (id) wallets.set(residentId, id);
    else missing.push(residentId);
  }
  const opened =
    missing.length > 0
      ? await ledger.openAccounts(ctx, { municipalityId, kind: 'wallet', ownerIds: missing })
      : new Map<string, string>();
  if (cache.size + opened.size > WALLETS_REMEMBERED) cache.clear();
  cache.set(issuanceKey, issuance);
  for (const [residentId, id] of opened) {
    wallets.set(residentId, id);
    cache.set(`${municipalityId}:${residentId}`, id);
  }
  return { issuance, wallets };
}
