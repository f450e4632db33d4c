import type { Hex } from 'viem';
import { parseSiweMessage } from 'viem/siwe';
import type { ServiceContext } from '../../shared/context.js';
import { DomainError } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import { authorize } from '../../shared/policy.js';
import { lockKeys } from '../../storage/advisory-locks.js';
import { inTransaction } from '../../storage/transaction.js';
import {
  type AddressProofRefusal,
  buildAddressProofMessage,
  checkWalletAddress,
  newProofNonce,
  verifyAddressProof,
} from './erc20/address-proof.rules.js';
import * as repo from './payouts.repository.js';
import { usableFromAfterProof } from './payouts.rules.js';
import type { PayoutSettings } from './payouts.types.js';

/**
 * A resident's payout address: they ask for a one-time EIP-4361 message for an address, sign it
 * in their wallet, and send it back; the proven address replaces the one they had. A changed
 * address receives payouts only after the municipality's cooling-off, so whoever takes over a
 * session cannot redirect the next payout at once.
 */

/** How long a proof message may be signed and sent back. */
export const CHALLENGE_TTL_MS = 10 * 60_000;
const STATEMENT = 'Link this address to your CivicPoints account to receive payouts.';
const SIGNATURE = /^0x[0-9a-fA-F]{2,1024}$/;

/** Where the app is served, for the message's domain and URI (config PUBLIC_URL). */
export interface AddressProofEnvironment {
  publicUrl: string;
}

export interface AddressChallenge {
  message: string;
  nonce: string;
  expiresAt: string;
}

export interface ProvenAddress {
  address: string;
  provenAt: string;
  usableFrom: string;
}

const REFUSAL_TEXTS: Record<AddressProofRefusal, string> = {
  address_checksum_invalid:
    'This is not a valid address, or its upper/lower case (EIP-55 checksum) is wrong. Copy it again from your wallet.',
  proof_message_invalid: 'This is not the message we asked you to sign.',
  proof_domain_mismatch: 'This message was made for another website.',
  proof_chain_mismatch: 'This message was made for another chain.',
  proof_nonce_mismatch: 'This message is not an open request of yours: ask for a new one.',
  proof_expired: 'This message has expired: ask for a new one and sign it within 10 minutes.',
  signature_invalid: 'The signature is not by this address over this message.',
};

function refused(code: AddressProofRefusal): DomainError {
  return new DomainError(code, 'invalid', REFUSAL_TEXTS[code]);
}

function residentOf(ctx: ServiceContext) {
  authorize(ctx, 'resident');
  if (ctx.actor.kind !== 'resident') throw new Error('unreachable');
  return ctx.actor;
}

/** The settings, or `payouts_disabled` when the municipality has none (a chain is needed for a proof). */
export async function configuredSettings(
  ctx: ServiceContext,
  municipalityId: string,
): Promise<PayoutSettings> {
  const settings = await repo.findSettings(ctx.db, municipalityId);
  if (!settings) {
    throw new DomainError('payouts_disabled', 'conflict', 'Payouts are not offered here.');
  }
  return settings;
}

/**
 * Makes the one-time message the resident signs to prove `address` (valid 10 minutes).
 * Outcomes: `{ message, nonce, expiresAt }`; `address_checksum_invalid`; `payouts_disabled`
 * (no payout settings); `not_signed_in`, `permission_denied`.
 */
export async function createAddressChallenge(
  ctx: ServiceContext,
  env: AddressProofEnvironment,
  input: { address: string },
): Promise<AddressChallenge> {
  const { residentId, municipalityId } = residentOf(ctx);
  const checked = checkWalletAddress(input.address);
  if (!checked.ok) throw refused(checked.code);
  const settings = await configuredSettings(ctx, municipalityId);
  const now = ctx.clock.now();
  const expiresAt = new Date(now.getTime() + CHALLENGE_TTL_MS);
  const nonce = newProofNonce();
  const publicUrl = new URL(env.publicUrl);
  const message = buildAddressProofMessage({
    domain: publicUrl.host,
    address: checked.address,
    statement: STATEMENT,
    uri: publicUrl.origin,
    chainId: settings.chainId,
    nonce,
    issuedAt: now,
    expirationTime: expiresAt,
  });
  await repo.insertChallenge(ctx.db, {
    nonce,
    municipality_id: municipalityId,
    resident_id: residentId,
    address: checked.address,
    message,
    expires_at: expiresAt.toISOString(),
    used_at: null,
    created_at: now.toISOString(),
  });
  return { message, nonce, expiresAt: expiresAt.toISOString() };
}

/** The nonce a message names, if it reads as an EIP-4361 message at all. */
function nonceOf(message: string): string | undefined {
  try {
    return parseSiweMessage(message).nonce;
  } catch {
    return undefined;
  }
}

/**
 * Checks a signed proof against the resident's open challenge and makes the address their
 * active one (the one before is kept as `replaced`). A first address is usable at once, a
 * changed one after the cooling-off; proving the address already active changes nothing.
 * Outcomes: the address; `proof_message_invalid`; `proof_nonce_mismatch` (unknown, another
 * resident's, or used challenge); `proof_expired`; `proof_domain_mismatch`;
 * `proof_chain_mismatch`; `signature_invalid`; `address_checksum_invalid`; `payouts_disabled`;
 * `not_signed_in`, `permission_denied`.
 */
export async function proveAddress(
  ctx: ServiceContext,
  env: AddressProofEnvironment,
  input: { message: string; signature: string },
): Promise<ProvenAddress> {
  const { residentId, municipalityId } = residentOf(ctx);
  const settings = await configuredSettings(ctx, municipalityId);
  const nonce = nonceOf(input.message);
  if (!nonce) throw refused('proof_message_invalid');
  const challenge = await repo.findChallenge(ctx.db, nonce);
  if (!challenge || challenge.resident_id !== residentId || challenge.used_at !== null) {
    throw refused('proof_nonce_mismatch');
  }
  const now = ctx.clock.now();
  if (now.getTime() >= Date.parse(challenge.expires_at)) throw refused('proof_expired');
  if (!SIGNATURE.test(input.signature)) throw refused('signature_invalid');
  const check = await verifyAddressProof(input.message, input.signature as Hex, {
    address: challenge.address,
    domain: new URL(env.publicUrl).host,
    chainId: settings.chainId,
    nonce: challenge.nonce,
    now,
  });
  if (!check.ok) throw refused(check.code);

  const at = now.toISOString();
  return inTransaction(ctx.db, async (db) => {
    await lockKeys(db, 'payouts', [`resident:${residentId}`]);
    if (!(await repo.useChallenge(db, nonce, at))) throw refused('proof_nonce_mismatch');
    const active = await repo.findActiveAddress(db, residentId);
    if (active && active.address === check.address) {
      return { address: active.address, provenAt: active.provenAt, usableFrom: active.usableFrom };
    }
    await repo.replaceActiveAddress(db, residentId, at);
    const usableFrom = usableFromAfterProof(active !== undefined, now, settings.coolingOffHours);
    const saved = await repo.insertAddress(db, {
      id: newId('pad', now),
      municipality_id: municipalityId,
      resident_id: residentId,
      address: check.address,
      status: 'active',
      proven_at: at,
      usable_from: usableFrom.toISOString(),
      replaced_at: null,
    });
    return { address: saved.address, provenAt: saved.provenAt, usableFrom: saved.usableFrom };
  });
}

/** The resident's active payout address, if any. */
export async function activeAddressOf(
  ctx: ServiceContext,
  residentId: string,
): Promise<ProvenAddress | null> {
  const active = await repo.findActiveAddress(ctx.db, residentId);
  return active
    ? { address: active.address, provenAt: active.provenAt, usableFrom: active.usableFrom }
    : null;
}
