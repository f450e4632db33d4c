import { createHash, randomBytes } from 'node:crypto';

/**
 * Pure rules of partners' API keys. A key reads `cpk_` + 43 base64url characters; it is shown to
 * its creator once and only its SHA-256 is stored. The prefix lets secret scanners and people
 * recognise a leaked key.
 */

export const API_KEY_PREFIX = 'cpk_';
/** How stale a key's last-used time may get before a request refreshes it (spares writes). */
export const API_KEY_TOUCH_MS = 60_000;

export function newApiKeySecret(): string {
  return `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
}

export function hashApiKey(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function looksLikeApiKey(value: unknown): value is string {
  return typeof value === 'string' && /^cpk_[A-Za-z0-9_-]{43}$/.test(value);
}

/** The key from an `Authorization: Bearer …` header, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match?.[1];
}
