import { createPublicKey, type KeyObject, randomBytes, sign, verify } from 'node:crypto';
import {
  crockfordCheck,
  hasValidCheck,
  plainCrockford,
  randomCrockford,
} from '../../shared/crockford.js';
import type { VoucherClaims } from './vouchers.types.js';

/**
 * Voucher tokens and codes. A token is a JWS in compact form (RFC 7515) signed with Ed25519
 * (`alg: EdDSA`, RFC 8037): anyone holding the municipality's public key from
 * /.well-known/civicpoints/keys.json can check it, offline too. The short code is what a person
 * reads out when the QR code cannot be scanned; it proves nothing by itself (the server looks
 * it up). Pure apart from randomness and the signature arithmetic.
 */

/** The JOSE header's type: tells a voucher token from any other JWS. */
export const VOUCHER_TOKEN_TYPE = 'cpv';
/** Longer than any token we make; anything longer is refused before it is parsed. */
export const MAX_TOKEN_LENGTH = 1024;

const ID_PATTERNS = {
  vid: /^vch_[0-9a-z]{26}$/,
  rwd: /^rwd_[0-9a-z]{26}$/,
  kid: /^vk_[0-9a-z]{26}$/,
  jti: /^[A-Za-z0-9_-]{22}$/,
  mun: /^[a-z0-9][a-z0-9-]{0,62}$/,
};

/** A fresh single-use id (128 random bits). */
export function newTokenId(): string {
  return randomBytes(16).toString('base64url');
}

/** Signs the claims with the key: the compact JWS. */
export function signVoucherToken(
  claims: VoucherClaims,
  key: { id: string; privateKey: KeyObject },
): string {
  const header = encode({ alg: 'EdDSA', kid: key.id, typ: VOUCHER_TOKEN_TYPE });
  const payload = encode(claims);
  const signature = sign(null, Buffer.from(`${header}.${payload}`), key.privateKey);
  return `${header}.${payload}.${signature.toString('base64url')}`;
}

export interface ParsedToken {
  keyId: string;
  claims: VoucherClaims;
  signingInput: string;
  signature: Buffer;
}

/**
 * The parts of a token when it has the shape of one of ours (three base64url parts, our header,
 * well-formed claims); undefined otherwise. Checks no signature.
 */
export function parseVoucherToken(token: unknown): ParsedToken | undefined {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) return undefined;
  const parts = token.split('.');
  if (parts.length !== 3 || parts.some((part) => !/^[A-Za-z0-9_-]+$/.test(part))) return undefined;
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  const header = decode(headerPart);
  const claims = decode(payloadPart);
  if (!isRecord(header) || !isRecord(claims)) return undefined;
  if (header.alg !== 'EdDSA' || header.typ !== VOUCHER_TOKEN_TYPE) return undefined;
  if (typeof header.kid !== 'string' || !ID_PATTERNS.kid.test(header.kid)) return undefined;
  if (!isClaims(claims)) return undefined;
  const signature = Buffer.from(signaturePart, 'base64url');
  if (signature.length !== 64) return undefined;
  return {
    keyId: header.kid,
    claims,
    signingInput: `${headerPart}.${payloadPart}`,
    signature,
  };
}

/** Whether the token's signature was made by the private half of `publicKey`. */
export function hasValidSignature(parsed: ParsedToken, publicKey: KeyObject): boolean {
  try {
    return verify(null, Buffer.from(parsed.signingInput), publicKey, parsed.signature);
  } catch {
    return false;
  }
}

/** An Ed25519 public key from its raw 32 bytes in base64url (a JWK's `x`). */
export function publicKeyFromRaw(x: string): KeyObject {
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' });
}

/** A new short code, `XXXXX-XXXXX-C`: 50 random bits and a check character. */
export function newShortCode(): string {
  const body = randomCrockford(10);
  return `${body.slice(0, 5)}-${body.slice(5)}-${crockfordCheck(body)}`;
}

/**
 * A typed short code in its stored form (any case, dashes and spaces optional, O read as 0 and
 * I or L as 1), or undefined when it is malformed or its check character does not match.
 */
export function normalizeShortCode(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 40) return undefined;
  const plain = plainCrockford(value);
  if (!hasValidCheck(plain, 10)) return undefined;
  return `${plain.slice(0, 5)}-${plain.slice(5, 10)}-${plain[10]}`;
}

function encode(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

function decode(part: string): unknown {
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isClaims(
  claims: Record<string, unknown>,
): claims is Record<string, unknown> & VoucherClaims {
  const { vid, mun, rwd, val, pct, exp, jti } = claims;
  return (
    typeof vid === 'string' &&
    ID_PATTERNS.vid.test(vid) &&
    typeof mun === 'string' &&
    ID_PATTERNS.mun.test(mun) &&
    typeof rwd === 'string' &&
    ID_PATTERNS.rwd.test(rwd) &&
    Number.isSafeInteger(val) &&
    (val as number) >= 0 &&
    (pct === undefined ||
      (Number.isSafeInteger(pct) && (pct as number) >= 1 && (pct as number) <= 100)) &&
    Number.isSafeInteger(exp) &&
    (exp as number) > 0 &&
    typeof jti === 'string' &&
    ID_PATTERNS.jti.test(jti)
  );
}
