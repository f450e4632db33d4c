import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { ServiceContext } from '../../shared/context.js';
import { DomainError } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import { authorize } from '../../shared/policy.js';
import { sealingKeyOf } from '../../shared/sealing-key.js';
import { openSecret, sealSecret } from '../../shared/secret-box.js';
import type { Storage } from '../../storage/database.js';
import { isUniqueViolation } from '../../storage/errors.js';
import { inTransaction } from '../../storage/transaction.js';
import { recordAudit } from '../audit/audit.service.js';
import * as repo from './signing-keys.repository.js';
import { publicKeyFromRaw } from './voucher-tokens.rules.js';

/**
 * The Ed25519 keys that sign each municipality's vouchers. One key is active (it signs new
 * vouchers); rotating retires it — a retired key still verifies the vouchers it signed and stays
 * published — and makes a new one. A revoked key verifies nothing any more. Private keys are
 * sealed with SECRETS_KEY, bound to their key id; they are never logged nor in any answer.
 */

/** How long a process keeps keys before reading them again: a rotation or revocation elsewhere
 * reaches this process within this time (this process's own at once). */
export const KEY_CACHE_MS = 30_000;

interface CachedPublicKey {
  municipalityId: string;
  status: repo.SigningKeyRow['status'];
  publicKey: KeyObject;
  readAt: number;
}
interface CachedSigningKey {
  id: string;
  privateKey: KeyObject;
  readAt: number;
}

const publicCaches = new WeakMap<Storage, Map<string, CachedPublicKey>>();
const signingCaches = new WeakMap<Storage, Map<string, CachedSigningKey>>();

function cacheOf<V>(caches: WeakMap<Storage, Map<string, V>>, storage: Storage) {
  let cache = caches.get(storage);
  if (!cache) {
    cache = new Map();
    caches.set(storage, cache);
  }
  return cache;
}

/**
 * The municipality's active signing key (made when it has none yet). Outcomes: the key;
 * `secrets_key_missing`, `signing_key_unreadable`.
 */
export async function activeSigningKey(
  ctx: ServiceContext,
  municipalityId: string,
): Promise<{ id: string; privateKey: KeyObject }> {
  const cache = cacheOf(signingCaches, ctx.storage);
  const cached = cache.get(`active:${municipalityId}`);
  if (cached && Date.now() - cached.readAt < KEY_CACHE_MS) return cached;
  const row =
    (await repo.findActiveKey(ctx.db, municipalityId)) ?? (await makeKey(ctx, municipalityId));
  const entry = { id: row.id, privateKey: openPrivateKey(ctx, row), readAt: Date.now() };
  cache.set(`active:${municipalityId}`, entry);
  return entry;
}

/**
 * The private key with this id, to sign a voucher's token again (Ed25519 signatures are
 * deterministic, so the same voucher shows the same token). Retired keys still sign the vouchers
 * they signed before; revoked ones do not. Outcomes: the key, or undefined when revoked or
 * unknown; `secrets_key_missing`, `signing_key_unreadable`.
 */
export async function signingKeyById(
  ctx: ServiceContext,
  keyId: string,
): Promise<{ id: string; privateKey: KeyObject } | undefined> {
  const cache = cacheOf(signingCaches, ctx.storage);
  const cached = cache.get(keyId);
  if (cached && Date.now() - cached.readAt < KEY_CACHE_MS) return cached;
  const row = await repo.findKey(ctx.db, keyId);
  if (!row || row.status === 'revoked') return undefined;
  const entry = { id: row.id, privateKey: openPrivateKey(ctx, row), readAt: Date.now() };
  if (cache.size > 10_000) cache.clear();
  cache.set(keyId, entry);
  return entry;
}

function openPrivateKey(ctx: ServiceContext, row: repo.SigningKeyRow): KeyObject {
  const opened = openSecret(sealingKeyOf(ctx.storage), row.private_key_sealed, sealContext(row.id));
  if (opened === undefined) {
    throw new DomainError(
      'signing_key_unreadable',
      'unavailable',
      'The voucher-signing key does not open with this SECRETS_KEY; rotate the key.',
    );
  }
  return createPrivateKey({ key: Buffer.from(opened, 'base64'), format: 'der', type: 'pkcs8' });
}

/**
 * The public key with this id, with its municipality and status, if it exists (revoked keys
 * included: the caller refuses them).
 */
export async function findPublicKey(
  ctx: ServiceContext,
  keyId: string,
): Promise<Omit<CachedPublicKey, 'readAt'> | undefined> {
  const cache = cacheOf(publicCaches, ctx.storage);
  const cached = cache.get(keyId);
  if (cached && Date.now() - cached.readAt < KEY_CACHE_MS) return cached;
  const row = await repo.findKey(ctx.db, keyId);
  if (!row) return undefined;
  const entry = {
    municipalityId: row.municipality_id,
    status: row.status,
    publicKey: publicKeyFromRaw(row.public_key),
    readAt: Date.now(),
  };
  if (cache.size > 10_000) cache.clear();
  cache.set(keyId, entry);
  return entry;
}

/** A JSON Web Key Set entry (RFC 8037): an Ed25519 public key. */
export interface VoucherJwk {
  kty: 'OKP';
  crv: 'Ed25519';
  x: string;
  kid: string;
  use: 'sig';
  alg: 'EdDSA';
  /** The municipality whose vouchers it signs (its slug). */
  municipality: string;
  status: 'active' | 'retired';
}

/** Every key that verifies vouchers now, for /.well-known/civicpoints/keys.json. Public. */
export async function publishedKeys(ctx: ServiceContext): Promise<{ keys: VoucherJwk[] }> {
  const rows = await repo.listPublishedKeys(ctx.db);
  return {
    keys: rows.map((row) => ({
      kty: 'OKP',
      crv: 'Ed25519',
      x: row.public_key,
      kid: row.id,
      use: 'sig',
      alg: 'EdDSA',
      municipality: row.slug,
      status: row.status === 'active' ? 'active' : 'retired',
    })),
  };
}

/** The municipality's keys, newest first (no private parts), for its admins. */
export async function listSigningKeys(ctx: ServiceContext, municipalityId: string) {
  authorize(ctx, 'municipality.settings', municipalityId);
  return (await repo.listKeysOf(ctx.db, municipalityId)).map((row) => ({
    id: row.id,
    status: row.status,
    publicKey: row.public_key,
    createdAt: row.created_at,
    retiredAt: row.retired_at,
  }));
}

/**
 * Retires the active key and makes a new one that signs from now on; vouchers signed before stay
 * valid. Outcomes: the new key's id; `secrets_key_missing`; `not_signed_in`, `permission_denied`,
 * `not_found`.
 */
export async function rotateSigningKey(
  ctx: ServiceContext,
  municipalityId: string,
): Promise<{ id: string }> {
  authorize(ctx, 'municipality.settings', municipalityId);
  const row = await inTransaction(ctx.db, async (db) => {
    const tx = { ...ctx, db };
    const before = await repo.findActiveKey(db, municipalityId);
    await repo.retireActiveKey(db, municipalityId, ctx.clock.now().toISOString());
    const made = await insertNewKey(tx, municipalityId);
    await recordAudit(tx, {
      municipalityId,
      action: 'voucher_key.rotated',
      subjectType: 'voucher_key',
      subjectId: made.id,
      before: { activeKey: before?.id ?? null },
      after: { activeKey: made.id },
    });
    return made;
  });
  forget(ctx.storage, municipalityId);
  return { id: row.id };
}

/**
 * Revokes a key: tokens it signed are refused from now on (the caller re-signs the open
 * vouchers). When it was the active key a new one is made. Outcomes: true when it was revoked
 * now; `signing_key_not_found`; `not_signed_in`, `permission_denied`, `not_found`.
 */
export async function revokeSigningKey(
  ctx: ServiceContext,
  municipalityId: string,
  keyId: string,
): Promise<boolean> {
  authorize(ctx, 'municipality.settings', municipalityId);
  const key = await repo.findKey(ctx.db, keyId);
  if (!key || key.municipality_id !== municipalityId) {
    throw new DomainError('signing_key_not_found', 'not_found', 'No such key here.');
  }
  const revoked = await inTransaction(ctx.db, async (db) => {
    const tx = { ...ctx, db };
    const done = await repo.revokeKey(db, municipalityId, keyId, ctx.clock.now().toISOString());
    if (done && key.status === 'active') await insertNewKey(tx, municipalityId);
    if (done) {
      await recordAudit(tx, {
        municipalityId,
        action: 'voucher_key.revoked',
        subjectType: 'voucher_key',
        subjectId: keyId,
        before: { status: key.status },
        after: { status: 'revoked' },
      });
    }
    return done;
  });
  forget(ctx.storage, municipalityId, keyId);
  return revoked;
}

/** Makes the municipality's first key; when another process made one at the same time, that one. */
async function makeKey(ctx: ServiceContext, municipalityId: string): Promise<repo.SigningKeyRow> {
  try {
    return await inTransaction(ctx.db, (db) => insertNewKey({ ...ctx, db }, municipalityId));
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const row = await repo.findActiveKey(ctx.db, municipalityId);
    if (!row) throw error;
    return row;
  }
}

async function insertNewKey(ctx: ServiceContext, municipalityId: string) {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const id = newId('vk', ctx.clock.now());
  const x = publicKey.export({ format: 'jwk' }).x;
  if (typeof x !== 'string') throw new Error('Ed25519 public key without x');
  const der = privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
  const row: repo.SigningKeyRow = {
    id,
    municipality_id: municipalityId,
    public_key: x,
    private_key_sealed: sealSecret(sealingKeyOf(ctx.storage), der, sealContext(id)),
    status: 'active',
    created_at: ctx.clock.now().toISOString(),
    retired_at: null,
  };
  await repo.insertKey(ctx.db, row);
  return row;
}

function forget(storage: Storage, municipalityId: string, keyId?: string) {
  cacheOf(signingCaches, storage).delete(`active:${municipalityId}`);
  if (keyId) cacheOf(signingCaches, storage).delete(keyId);
  if (keyId) cacheOf(publicCaches, storage).delete(keyId);
  else cacheOf(publicCaches, storage).clear();
}

/** Binds a sealed private key to its key id. */
const sealContext = (keyId: string) => `voucher-key:${keyId}`;
