// Reading and checking a voucher token in the browser, for the till that is offline. The same
// rules as the server's src/modules/vouchers/voucher-tokens.rules.ts: a compact JWS (RFC 7515),
// header {"alg":"EdDSA","kid":"vk_…","typ":"cpv"}, signed with Ed25519 (RFC 8037).
// test/web imports this file (and offlineCheck.ts) under Node: no browser-only imports at the top.

/** The claims of a voucher token (docs/spending.md, "The voucher token"). */
export interface VoucherClaims {
  /** The voucher's id. */
  vid: string;
  /** The issuing municipality's slug. */
  mun: string;
  /** The reward's id. */
  rwd: string;
  /** What it is worth, in euro cents (a percentage's most). */
  val: number;
  /** The percentage, for percentage discounts. */
  pct?: number;
  /** Expiry, Unix seconds. */
  exp: number;
  /** The single-use id. */
  jti: string;
}

export interface ParsedVoucherToken {
  keyId: string;
  claims: VoucherClaims;
  signingInput: Uint8Array<ArrayBuffer>;
  signature: Uint8Array<ArrayBuffer>;
}

/** An Ed25519 public key as the JWKS publishes it (the fields used here). */
export interface VoucherJwk {
  kid: string;
  x: string;
  municipality: string;
}

const MAX_TOKEN_LENGTH = 1024;
const ID_PATTERNS = {
  vid: /^vch_[0-9a-z]{26}$/,
  rwd: /^rwd_[0-9a-z]{26}$/,
  kid: /^vk_[0-9a-z]{26}$/,
  jti: /^[A-Za-z0-9_-]{22}$/,
  mun: /^[a-z0-9][a-z0-9-]{0,62}$/,
};

/** Bytes of a base64url string (no padding), or null when it is not one. */
export function base64UrlBytes(text: string): Uint8Array<ArrayBuffer> | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return null;
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const padded = base64 + '='.repeat((4 - (base64.length % 4)) % 4);
  try {
    const binary = atob(padded);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  } catch {
    return null;
  }
}

function decodeJson(part: string): unknown {
  const bytes = base64UrlBytes(part);
  if (!bytes) return undefined;
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return undefined;
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function isClaims(claims: Record<string, unknown>): boolean {
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

/**
 * The parts of a token when it has the shape of a voucher token (three base64url parts, our
 * header, well-formed claims); null otherwise — e.g. a member card's or a site code's QR code.
 * Checks no signature.
 */
export function parseVoucherToken(token: string): ParsedVoucherToken | null {
  const trimmed = token.trim();
  if (trimmed.length > MAX_TOKEN_LENGTH) return null;
  const parts = trimmed.split('.');
  if (parts.length !== 3 || parts.some((part) => !/^[A-Za-z0-9_-]+$/.test(part))) return null;
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  const header = decodeJson(headerPart);
  const claims = decodeJson(payloadPart);
  if (!isRecord(header) || !isRecord(claims)) return null;
  if (header.alg !== 'EdDSA' || header.typ !== 'cpv') return null;
  if (typeof header.kid !== 'string' || !ID_PATTERNS.kid.test(header.kid)) return null;
  if (!isClaims(claims)) return null;
  const signature = base64UrlBytes(signaturePart);
  if (signature?.length !== 64) return null;
  return {
    keyId: header.kid,
    claims: claims as unknown as VoucherClaims,
    signingInput: new TextEncoder().encode(`${headerPart}.${payloadPart}`),
    signature,
  };
}

/** Whether this looks like a voucher token at all (three dot-separated base64url parts). */
export function looksLikeToken(value: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(value.trim());
}

let webCryptoEd25519: boolean | null = null;

/**
 * Whether the token's signature was made by the private half of `jwk`: WebCrypto's Ed25519
 * (Chrome 137+, Firefox 129+, Safari 17+); on an older browser that lacks it, @noble/ed25519
 * (loaded only then), with RFC 8032's strict rules as the server's OpenSSL applies them.
 */
export async function hasValidSignature(
  parsed: ParsedVoucherToken,
  jwk: VoucherJwk,
): Promise<boolean> {
  const publicKey = base64UrlBytes(jwk.x);
  if (publicKey?.length !== 32) return false;
  if (webCryptoEd25519 !== false && globalThis.crypto?.subtle) {
    try {
      const key = await crypto.subtle.importKey('raw', publicKey, { name: 'Ed25519' }, false, [
        'verify',
      ]);
      webCryptoEd25519 = true;
      return await crypto.subtle.verify(
        { name: 'Ed25519' },
        key,
        parsed.signature,
        parsed.signingInput,
      );
    } catch (error) {
      // An invalid key is invalid for both; only a missing algorithm sends us to the library.
      if (!(error instanceof DOMException && error.name === 'NotSupportedError')) return false;
      webCryptoEd25519 = false;
    }
  }
  return verifyWithNoble(parsed, publicKey);
}

/** The fallback, also used by the tests to check both paths agree. */
export async function verifyWithNoble(
  parsed: ParsedVoucherToken,
  publicKey: Uint8Array<ArrayBuffer>,
): Promise<boolean> {
  const ed = await import('@noble/ed25519');
  try {
    return await ed.verifyAsync(parsed.signature, parsed.signingInput, publicKey, {
      zip215: false,
    });
  } catch {
    return false;
  }
}
