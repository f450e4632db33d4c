import { generateKeyPairSync } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CROCKFORD_ALPHABET, crockfordCheck } from '../../shared/crockford.js';
import {
  hasValidSignature,
  MAX_TOKEN_LENGTH,
  newShortCode,
  newTokenId,
  normalizeShortCode,
  parseVoucherToken,
  publicKeyFromRaw,
  signVoucherToken,
} from './voucher-tokens.rules.js';
import type { VoucherClaims } from './vouchers.types.js';

/** Voucher tokens (compact JWS, EdDSA) and the short code a person reads out. */

const KID = 'vk_01kbx0000000000000000000aa';
const claims: VoucherClaims = {
  vid: 'vch_01kbx0000000000000000000bb',
  mun: 'pelt',
  rwd: 'rwd_01kbx0000000000000000000cc',
  val: 300,
  exp: 1_800_000_000,
  jti: 'AAAAAAAAAAAAAAAAAAAAAA',
};
const keyPair = () => generateKeyPairSync('ed25519');
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('short codes', () => {
  it('are XXXXX-XXXXX-C in Crockford base32 with their check character', () => {
    for (let i = 0; i < 200; i++) {
      const code = newShortCode();
      expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z*~$=U]$/);
      expect(normalizeShortCode(code)).toBe(code);
    }
  });

  it('read any case, without dashes or with spaces, O as 0 and I or L as 1', () => {
    const body = '01ABC1DE0F';
    const code = `${body.slice(0, 5)}-${body.slice(5)}-${crockfordCheck(body)}`;
    const check = code.at(-1)!;
    for (const typed of [
      code,
      code.toLowerCase(),
      code.replaceAll('-', ''),
      code.replaceAll('-', ' '),
      `  ${code.replaceAll('-', '  ')} `,
      `O1ABCIDEOF${check}`,
      `o1abcldeof${check.toLowerCase()}`,
      `0-1-A-B-C-L-D-E-O-F-${check}`,
    ]) {
      expect(normalizeShortCode(typed), typed).toBe(code);
    }
  });

  it('refuse what is not a code: wrong length, letters outside the alphabet, too long, not a string', () => {
    const code = newShortCode();
    for (const bad of [
      '',
      code.slice(0, -1),
      `${code}0`,
      code.replace(/^./, 'U'),
      code.replace(/^./, '*'),
      `${code}${' '.repeat(40)}`,
      42,
      null,
      undefined,
      { code },
    ]) {
      expect(normalizeShortCode(bad), String(bad)).toBeUndefined();
    }
  });

  it('catch every single-character substitution and every adjacent transposition (a sample of codes)', () => {
    const missed: string[] = [];
    for (let sample = 0; sample < 60; sample++) {
      const plain = newShortCode().replaceAll('-', '');
      for (let i = 0; i < plain.length; i++) {
        const alphabet = i < 10 ? CROCKFORD_ALPHABET : `${CROCKFORD_ALPHABET}*~$=U`;
        for (const other of alphabet) {
          if (other === plain[i]) continue;
          const typo = plain.slice(0, i) + other + plain.slice(i + 1);
          if (normalizeShortCode(typo) !== undefined) missed.push(`${plain} → ${typo}`);
        }
      }
      // Also the last character of the body with the check character.
      for (let i = 0; i + 1 < plain.length; i++) {
        if (plain[i] === plain[i + 1]) continue;
        const swapped = `${plain.slice(0, i)}${plain[i + 1]}${plain[i]}${plain.slice(i + 2)}`;
        if (normalizeShortCode(swapped) !== undefined) missed.push(`${plain} → ${swapped}`);
      }
    }
    expect(missed).toEqual([]);
  });
});

describe('voucher tokens', () => {
  it('sign and parse back: three base64url parts, our header, the claims, 64 signature bytes', () => {
    const { privateKey, publicKey } = keyPair();
    const token = signVoucherToken(claims, { id: KID, privateKey });
    const [header, payload] = token.split('.');
    expect(JSON.parse(Buffer.from(header!, 'base64url').toString())).toEqual({
      alg: 'EdDSA',
      kid: KID,
      typ: 'cpv',
    });
    expect(JSON.parse(Buffer.from(payload!, 'base64url').toString())).toEqual(claims);
    const parsed = parseVoucherToken(token)!;
    expect(parsed).toMatchObject({ keyId: KID, claims, signingInput: `${header}.${payload}` });
    expect(parsed.signature).toHaveLength(64);
    expect(hasValidSignature(parsed, publicKey)).toBe(true);
    // Deterministic: the same claims sign to the same token (tokens are not stored).
    expect(signVoucherToken(claims, { id: KID, privateKey })).toBe(token);
  });

  it('verify only with the key that signed (also from the JWK x), never with another', () => {
    const { privateKey, publicKey } = keyPair();
    const parsed = parseVoucherToken(signVoucherToken(claims, { id: KID, privateKey }))!;
    const x = publicKey.export({ format: 'jwk' }).x!;
    expect(hasValidSignature(parsed, publicKeyFromRaw(x))).toBe(true);
    expect(hasValidSignature(parsed, keyPair().publicKey)).toBe(false);
    const forged = parseVoucherToken(
      signVoucherToken(claims, { id: KID, privateKey: keyPair().privateKey }),
    )!;
    expect(hasValidSignature(forged, publicKey)).toBe(false);
  });

  it('refuse a changed claim, header or signature byte', () => {
    const { privateKey, publicKey } = keyPair();
    const token = signVoucherToken(claims, { id: KID, privateKey });
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const altered = `${header}.${b64({ ...claims, val: 30_000 })}.${signature}`;
    expect(hasValidSignature(parseVoucherToken(altered)!, publicKey)).toBe(false);
    const otherKid = `${b64({ alg: 'EdDSA', kid: KID.replace(/a$/, 'b'), typ: 'cpv' })}.${payload}.${signature}`;
    expect(hasValidSignature(parseVoucherToken(otherKid)!, publicKey)).toBe(false);
    const bytes = Buffer.from(signature, 'base64url');
    bytes[10] = bytes[10]! ^ 1;
    const flipped = `${header}.${payload}.${bytes.toString('base64url')}`;
    expect(hasValidSignature(parseVoucherToken(flipped)!, publicKey)).toBe(false);
  });

  it('parse nothing that is not shaped like ours', () => {
    const { privateKey } = keyPair();
    const token = signVoucherToken(claims, { id: KID, privateKey });
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const withHeader = (h: unknown) => `${b64(h)}.${payload}.${signature}`;
    const withClaims = (c: unknown) => `${header}.${b64(c)}.${signature}`;
    const cases: Record<string, unknown> = {
      'not a string': 42,
      empty: '',
      'two parts': `${header}.${payload}`,
      'four parts': `${token}.${signature}`,
      'empty part': `${header}..${signature}`,
      'not base64url': `${header}.${payload}.${signature.slice(0, -4)}+/==`,
      'spaces inside': `${header}.${payload} .${signature}`,
      truncated: token.slice(0, -3),
      'signature too long': `${token}AAAA`,
      'payload not JSON': `${header}.${Buffer.from('{"vid":').toString('base64url')}.${signature}`,
      'payload an array': withClaims([claims]),
      'alg none': withHeader({ alg: 'none', kid: KID, typ: 'cpv' }),
      'alg HS256': withHeader({ alg: 'HS256', kid: KID, typ: 'cpv' }),
      'typ JWT': withHeader({ alg: 'EdDSA', kid: KID, typ: 'JWT' }),
      'kid missing': withHeader({ alg: 'EdDSA', typ: 'cpv' }),
      'kid malformed': withHeader({ alg: 'EdDSA', kid: '../../etc', typ: 'cpv' }),
      'vid malformed': withClaims({ ...claims, vid: 'vch_x' }),
      'mun malformed': withClaims({ ...claims, mun: 'Pelt!' }),
      'rwd missing': withClaims({ ...claims, rwd: undefined }),
      'val negative': withClaims({ ...claims, val: -1 }),
      'val a string': withClaims({ ...claims, val: '300' }),
      'val fractional': withClaims({ ...claims, val: 2.5 }),
      'pct zero': withClaims({ ...claims, pct: 0 }),
      'pct over 100': withClaims({ ...claims, pct: 101 }),
      'exp zero': withClaims({ ...claims, exp: 0 }),
      'jti short': withClaims({ ...claims, jti: 'abc' }),
    };
    for (const [name, value] of Object.entries(cases)) {
      expect(parseVoucherToken(value), name).toBeUndefined();
    }
    expect(parseVoucherToken(token)).toBeDefined();
    expect(parseVoucherToken(withClaims({ ...claims, pct: 100 }))).toBeDefined();
  });

  it('refuse a well-formed, well-signed token longer than MAX_TOKEN_LENGTH before parsing it', () => {
    const { privateKey, publicKey } = keyPair();
    const padded = (n: number) =>
      signVoucherToken({ ...claims, pad: 'x'.repeat(n) } as VoucherClaims, { id: KID, privateKey });
    let n = 0;
    while (padded(n + 1).length <= MAX_TOKEN_LENGTH) n++;
    const longest = padded(n);
    expect(longest.length).toBeLessThanOrEqual(MAX_TOKEN_LENGTH);
    expect(hasValidSignature(parseVoucherToken(longest)!, publicKey)).toBe(true);
    expect(padded(n + 1).length).toBeGreaterThan(MAX_TOKEN_LENGTH);
    expect(parseVoucherToken(padded(n + 1))).toBeUndefined();
  });

  it('never parse a random string, and a fresh token id is 22 base64url characters', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (value) => {
        expect(parseVoucherToken(value)).toBeUndefined();
      }),
    );
    const ids = new Set(Array.from({ length: 100 }, () => newTokenId()));
    expect(ids.size).toBe(100);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });
});
