import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  acceptedWindows,
  hotp,
  isSiteCodeValid,
  normalizeSiteCode,
  SITE_CODE_WINDOW_SECONDS,
  siteCodeAt,
  windowAt,
  windowEnd,
} from './site-codes.rules.js';

describe('site code rules', () => {
  it('computes the RFC 6238 HMAC-SHA256 test vectors (30 s steps, 8 digits)', () => {
    const secret = Buffer.from('12345678901234567890123456789012', 'ascii');
    const vectors: [number, string][] = [
      [59, '46119246'],
      [1111111109, '68084774'],
      [1111111111, '67062674'],
      [1234567890, '91819424'],
      [2000000000, '90698825'],
      [20000000000, '77737706'],
    ];
    for (const [seconds, code] of vectors) {
      expect(hotp(secret, Math.floor(seconds / 30), 8), String(seconds)).toBe(code);
    }
  });

  it('numbers windows of 60 seconds and says when each ends', () => {
    const at = new Date('2026-12-01T09:00:30Z');
    expect(windowAt(at)).toBe(Math.floor(at.getTime() / 60_000));
    expect(windowEnd(windowAt(at)).toISOString()).toBe('2026-12-01T09:01:00.000Z');
    expect(acceptedWindows(at)).toEqual([windowAt(at), windowAt(at) - 1]);
  });

  it('takes a code with spaces or a dash, and nothing but six digits', () => {
    expect(normalizeSiteCode(' 123 456 ')).toBe('123456');
    expect(normalizeSiteCode('123-456')).toBe('123456');
    for (const bad of ['', '12345', '1234567', '12a456', '١٢٣٤٥٦']) {
      expect(normalizeSiteCode(bad), bad).toBeUndefined();
    }
  });

  it('accepts a code in its own window and the next, and later only by coincidence', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.integer({ min: 0, max: 4_000_000_000 }),
        (bytes, seconds) => {
          const secret = Buffer.from(bytes);
          const at = new Date(seconds * 1000);
          const code = siteCodeAt(secret, at);
          expect(code).toMatch(/^\d{6}$/);
          expect(isSiteCodeValid(secret, code, at)).toBe(true);
          const nextWindow = new Date(at.getTime() + SITE_CODE_WINDOW_SECONDS * 1000);
          expect(isSiteCodeValid(secret, code, nextWindow)).toBe(true);
          const twoLater = new Date(at.getTime() + 2 * SITE_CODE_WINDOW_SECONDS * 1000);
          const later = [windowAt(twoLater), windowAt(twoLater) - 1].map((w) => hotp(secret, w));
          expect(isSiteCodeValid(secret, code, twoLater)).toBe(later.includes(code));
        },
      ),
    );
  });

  it('gives different locations different codes', () => {
    const at = new Date('2026-12-01T09:00:00Z');
    const codes = new Set(Array.from({ length: 50 }, () => siteCodeAt(randomBytes(32), at)));
    expect(codes.size).toBeGreaterThan(45);
  });
});
