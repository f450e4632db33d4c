import { type Address, getAddress, type Hex, isAddress, isAddressEqual, verifyMessage } from 'viem';
import {
  createSiweMessage,
  generateSiweNonce,
  parseSiweMessage,
  validateSiweMessage,
} from 'viem/siwe';

/**
 * A resident's wallet address and the one-time proof that they control it: an EIP-4361
 * ("Sign-In with Ethereum") message the server builds, the resident's wallet signs (EIP-191
 * personal_sign), and the server checks. Pure apart from the nonce's randomness. Only keys
 * held directly (EOAs) can prove an address: smart-contract wallets (EIP-1271) would need a
 * chain call and are not accepted.
 *
 * Address form: EIP-55 mixed case must match its checksum; an all-lowercase address carries no
 * checksum and is accepted (as `isAddress(…, { strict: true })` does), because the signed proof
 * that follows catches any typo: nobody can sign for a mistyped address. All-uppercase hex and
 * a wrong mixed-case checksum are refused. Accepted addresses are returned checksummed.
 */

export type AddressProofRefusal =
  | 'address_checksum_invalid'
  | 'proof_message_invalid'
  | 'proof_domain_mismatch'
  | 'proof_chain_mismatch'
  | 'proof_nonce_mismatch'
  | 'proof_expired'
  | 'signature_invalid';

export type AddressProofCheck =
  | { ok: true; address: Address }
  | { ok: false; code: AddressProofRefusal };

/** A server's clock and a wallet-less browser's clock may differ: a proof "issued" this far in the future is still taken. */
export const ISSUED_AT_CLOCK_SKEW_MS = 60_000;

/** The EIP-55 checksummed form of an address, or address_checksum_invalid (see the module comment). */
export function checkWalletAddress(input: string): AddressProofCheck {
  const trimmed = input.trim();
  if (!isAddress(trimmed, { strict: true })) return { ok: false, code: 'address_checksum_invalid' };
  return { ok: true, address: getAddress(trimmed) };
}

/** A fresh one-time proof nonce: 96 random hex characters (EIP-4361 wants ≥ 8 alphanumerics). */
export function newProofNonce(): string {
  return generateSiweNonce();
}

export interface AddressProofRequest {
  /** The RFC 3986 authority asking for the proof, e.g. `punten.gent.be`. */
  domain: string;
  address: Address;
  /** One line shown by the wallet, e.g. "Link this address to your CivicPoints account for payouts." */
  statement: string;
  /** The page asking, e.g. `https://punten.gent.be/wallet`. */
  uri: string;
  chainId: number;
  nonce: string;
  issuedAt: Date;
  expirationTime: Date;
}

/** The EIP-4361 text the resident signs (version 1). Throws when a field is malformed (a bad domain, a multi-line statement). */
export function buildAddressProofMessage(request: AddressProofRequest): string {
  return createSiweMessage({
    domain: request.domain,
    address: getAddress(request.address),
    statement: request.statement,
    uri: request.uri,
    version: '1',
    chainId: request.chainId,
    nonce: request.nonce,
    issuedAt: request.issuedAt,
    expirationTime: request.expirationTime,
  });
}

export interface AddressProofExpectation {
  /** The address being registered, as the resident entered it. */
  address: string;
  domain: string;
  chainId: number;
  /** The one-time nonce the server issued for this resident (and forgets once used). */
  nonce: string;
  now: Date;
}

function validDate(date: Date | undefined): date is Date {
  return date !== undefined && !Number.isNaN(date.getTime());
}

/**
 * Checks a signed proof: the address's checksum, then the message's shape, domain, chain,
 * nonce and validity window, then that the signature is by the expected address over exactly
 * this message. The first failure's code is returned; `{ ok, address }` (checksummed) when all pass.
 */
export async function verifyAddressProof(
  message: string,
  signature: Hex,
  expected: AddressProofExpectation,
): Promise<AddressProofCheck> {
  const address = checkWalletAddress(expected.address);
  if (!address.ok) return address;

  const fields = parseSiweMessage(message);
  if (
    fields.version !== '1' ||
    !fields.address ||
    !isAddress(fields.address, { strict: true }) ||
    !fields.domain ||
    !fields.uri ||
    !fields.nonce ||
    fields.chainId === undefined ||
    !validDate(fields.issuedAt) ||
    !validDate(fields.expirationTime) ||
    (fields.notBefore !== undefined && !validDate(fields.notBefore))
  ) {
    return { ok: false, code: 'proof_message_invalid' };
  }
  if (fields.domain !== expected.domain) return { ok: false, code: 'proof_domain_mismatch' };
  if (fields.chainId !== expected.chainId) return { ok: false, code: 'proof_chain_mismatch' };
  if (fields.nonce !== expected.nonce) return { ok: false, code: 'proof_nonce_mismatch' };
  const now = expected.now.getTime();
  if (
    now >= fields.expirationTime.getTime() ||
    (fields.notBefore !== undefined && now < fields.notBefore.getTime()) ||
    fields.issuedAt.getTime() > now + ISSUED_AT_CLOCK_SKEW_MS
  ) {
    return { ok: false, code: 'proof_expired' };
  }
  // A proof for another address, even correctly signed by that address, proves nothing here.
  if (!isAddressEqual(fields.address, address.address)) {
    return { ok: false, code: 'signature_invalid' };
  }
  // viem's own EIP-4361 checks as a second line (nonce syntax, version, scheme, time).
  const valid = validateSiweMessage({
    message: fields,
    address: address.address,
    domain: expected.domain,
    nonce: expected.nonce,
    time: expected.now,
  });
  if (!valid) return { ok: false, code: 'proof_message_invalid' };

  let signedByAddress: boolean;
  try {
    signedByAddress = await verifyMessage({ address: address.address, message, signature });
  } catch {
    signedByAddress = false;
  }
  return signedByAddress ? address : { ok: false, code: 'signature_invalid' };
}
