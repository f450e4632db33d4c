import type { Actor, ServiceContext } from '../../shared/context.js';
import * as repo from './api-keys.repository.js';
import { API_KEY_TOUCH_MS, hashApiKey, looksLikeApiKey } from './api-keys.rules.js';

/**
 * The acting identity of an API key from an `Authorization: Bearer` header: its partner, its
 * municipality and its scopes; undefined for a malformed, unknown, forged or revoked key, or one
 * of an inactive partner. Records when the key was last used (at most once a minute).
 */
export async function resolveApiKey(
  ctx: ServiceContext,
  secret: unknown,
): Promise<Actor | undefined> {
  if (!looksLikeApiKey(secret)) return undefined;
  const key = await repo.findLiveKeyByHash(ctx.db, hashApiKey(secret));
  if (!key) return undefined;
  const now = ctx.clock.now();
  if (key.lastUsedAt === null || now.getTime() - Date.parse(key.lastUsedAt) > API_KEY_TOUCH_MS) {
    await repo.touchKey(ctx.db, key.id, now.toISOString());
  }
  return {
    kind: 'api_key',
    keyId: key.id,
    partnerId: key.partnerId,
    municipalityId: key.municipalityId,
    scopes: key.scopes,
  };
}
