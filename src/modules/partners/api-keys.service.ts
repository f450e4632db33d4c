import type { Actor, ServiceContext } from '../../shared/context.js';
import { DomainError, invalidInput } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import { cachePerStorage } from '../../shared/process-cache.js';
import type { ApiKeyScope } from '../../shared/roles.js';
import { inTransaction } from '../../storage/transaction.js';
import { recordAudit } from '../audit/audit.service.js';
import * as repo from './api-keys.repository.js';
import {
  API_KEY_TOUCH_MS,
  hashApiKey,
  looksLikeApiKey,
  newApiKeySecret,
} from './api-keys.rules.js';
import { apiKeyInputErrors, authorizePartnerAdmin } from './partners.rules.js';
import type { ApiKey, Partner } from './partners.types.js';

/**
 * Partners' API keys: created with scopes, shown once, stored as a hash, revoked or rotated;
 * and the resolution of a presented key into the acting identity of the partner's system.
 * Managed by the partner's own admins or its municipality's admins (authorizePartnerAdmin).
 */

/**
 * How long a process trusts a live key it looked up before reading it again. A key revoked or
 * rotated, or a partner switched off, by this process stops working at once; by another
 * process (several API processes on PostgreSQL), within this time.
 */
export const API_KEY_CACHE_MS = 5_000;
const liveKeys = cachePerStorage<ApiKey>(API_KEY_CACHE_MS);

/** Forgets the keys this process looked up: after a change to keys or partners commits. */
export function forgetResolvedApiKeys(ctx: Pick<ServiceContext, 'storage'>) {
  liveKeys(ctx.storage).forget();
}

/**
 * The acting identity of an API key from an `Authorization: Bearer` header: its partner, its
 * municipality and its scopes; undefined for a malformed, unknown, forged or revoked key, or one
 * of an inactive partner. Records when the key was last used (at most once a minute). A live
 * key is looked up once per API_KEY_CACHE_MS (by the hash of the secret); an unknown one every
 * time.
 */
export async function resolveApiKey(
  ctx: ServiceContext,
  secret: unknown,
): Promise<Actor | undefined> {
  if (!looksLikeApiKey(secret)) return undefined;
  const hash = hashApiKey(secret);
  const key = await liveKeys(ctx.storage).get(hash, () => repo.findLiveKeyByHash(ctx.db, hash));
  if (!key) return undefined;
  const now = ctx.clock.now();
  if (key.lastUsedAt === null || now.getTime() - Date.parse(key.lastUsedAt) > API_KEY_TOUCH_MS) {
    // The cached key remembers the touch too, so it is written at most once a minute.
    key.lastUsedAt = now.toISOString();
    await repo.touchKey(ctx.db, key.id, key.lastUsedAt);
  }
  return {
    kind: 'api_key',
    keyId: key.id,
    partnerId: key.partnerId,
    municipalityId: key.municipalityId,
    scopes: key.scopes,
  };
}

/**
 * Creates an API key for the partner with the given scopes; the secret is returned here once and
 * never again (only its hash is kept). Needs `partner.manage` of that partner, or
 * `partners.manage` in its municipality. Outcomes: the key and its secret; `invalid_input`;
 * `partner_not_found`; `not_signed_in`, `permission_denied`.
 */
export async function createApiKey(
  ctx: ServiceContext,
  partner: Partner,
  input: { name: string; scopes: ApiKeyScope[] },
): Promise<{ key: ApiKey; secret: string }> {
  authorizePartnerAdmin(ctx, partner);
  const name = input.name.trim();
  const errors = apiKeyInputErrors({ name, scopes: input.scopes });
  if (errors.length > 0) throw invalidInput(errors);
  return inTransaction(ctx.db, async (db) => {
    const issued = await insertNewKey({ ...ctx, db }, partner, { name, scopes: input.scopes });
    await recordAudit(
      { ...ctx, db },
      {
        municipalityId: partner.municipalityId,
        action: 'api_key.created',
        subjectType: 'api_key',
        subjectId: issued.key.id,
        after: auditView(issued.key),
      },
    );
    return issued;
  });
}

/**
 * The partner's keys, newest first, without secrets or hashes. Outcomes: the list;
 * `partner_not_found`; `not_signed_in`, `permission_denied`, `not_found`.
 */
export async function listApiKeys(ctx: ServiceContext, partner: Partner): Promise<ApiKey[]> {
  authorizePartnerAdmin(ctx, partner);
  return repo.listKeys(ctx.db, partner);
}

/**
 * Revokes one of the partner's keys: it stops working at once. Outcomes: the revoked key;
 * `api_key_not_found`; `api_key_revoked` (it already was); `partner_not_found`;
 * `not_signed_in`, `permission_denied`, `not_found`.
 */
export async function revokeApiKey(
  ctx: ServiceContext,
  partner: Partner,
  keyId: string,
): Promise<ApiKey> {
  authorizePartnerAdmin(ctx, partner);
  const result = await inTransaction(ctx.db, async (db) => {
    const key = await liveKey({ ...ctx, db }, partner, keyId);
    const now = ctx.clock.now().toISOString();
    if (!(await repo.revokeKey(db, key, now, null))) throw keyRevoked();
    const revoked = { ...key, revokedAt: now };
    await recordAudit(
      { ...ctx, db },
      {
        municipalityId: partner.municipalityId,
        action: 'api_key.revoked',
        subjectType: 'api_key',
        subjectId: key.id,
        before: { revokedAt: null },
        after: { revokedAt: now },
      },
    );
    return revoked;
  });
  forgetResolvedApiKeys(ctx);
  return result;
}

/**
 * Replaces one of the partner's keys by a new one with the same name and scopes: the new key's
 * secret is returned once, the old key is revoked (its `replacedBy` names the new one), both in
 * one transaction. Outcomes: the new key and its secret; `api_key_not_found`; `api_key_revoked`;
 * `partner_not_found`; `not_signed_in`, `permission_denied`, `not_found`.
 */
export async function rotateApiKey(
  ctx: ServiceContext,
  partner: Partner,
  keyId: string,
): Promise<{ key: ApiKey; secret: string; replaced: ApiKey }> {
  authorizePartnerAdmin(ctx, partner);
  const rotated = await inTransaction(ctx.db, async (db) => {
    const tx = { ...ctx, db };
    const old = await liveKey(tx, partner, keyId);
    const issued = await insertNewKey(tx, partner, { name: old.name, scopes: old.scopes });
    const now = issued.key.createdAt;
    if (!(await repo.revokeKey(db, old, now, issued.key.id))) throw keyRevoked();
    await recordAudit(tx, {
      municipalityId: partner.municipalityId,
      action: 'api_key.rotated',
      subjectType: 'api_key',
      subjectId: old.id,
      before: { revokedAt: null, replacedBy: null },
      after: { revokedAt: now, replacedBy: issued.key.id, ...auditView(issued.key) },
    });
    return { ...issued, replaced: { ...old, revokedAt: now, replacedBy: issued.key.id } };
  });
  forgetResolvedApiKeys(ctx);
  return rotated;
}

async function insertNewKey(
  ctx: ServiceContext,
  partner: Partner,
  input: { name: string; scopes: ApiKeyScope[] },
): Promise<{ key: ApiKey; secret: string }> {
  const now = ctx.clock.now();
  const secret = newApiKeySecret();
  const key: ApiKey = {
    id: newId('key', now),
    partnerId: partner.id,
    municipalityId: partner.municipalityId,
    name: input.name,
    scopes: [...new Set(input.scopes)],
    createdBy: actingId(ctx),
    createdAt: now.toISOString(),
    lastUsedAt: null,
    revokedAt: null,
    replacedBy: null,
  };
  await repo.insertKey(ctx.db, key, hashApiKey(secret));
  return { key, secret };
}

async function liveKey(ctx: ServiceContext, partner: Partner, keyId: string): Promise<ApiKey> {
  const key = await repo.findKey(ctx.db, partner, keyId);
  if (!key) throw new DomainError('api_key_not_found', 'not_found', 'No such API key here.');
  if (key.revokedAt !== null) throw keyRevoked();
  return key;
}

const keyRevoked = () =>
  new DomainError('api_key_revoked', 'conflict', 'This API key is already revoked.');

/** What the audit log keeps of a key: never its secret nor its hash. */
function auditView(key: ApiKey) {
  return { partnerId: key.partnerId, keyId: key.id, name: key.name, scopes: key.scopes };
}

function actingId(ctx: ServiceContext): string {
  const { actor } = ctx;
  if ('userId' in actor) return actor.userId;
  if (actor.kind === 'api_key') return actor.keyId;
  return actor.kind;
}
