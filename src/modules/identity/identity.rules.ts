import { createHash, randomBytes } from 'node:crypto';
import { crockfordCheck, randomCrockford } from '../../shared/crockford.js';
import type { Transfer } from '../ledger/ledger.types.js';
import type { WalletMovement } from './identity.types.js';

/** Pure rules of identity: tokens, their hashes, lifetimes, member codes, email addresses. */

/** A sign-in link works once, for this long. */
export const SIGN_IN_LINK_MINUTES = 15;
/** At most this many links per address, and per requesting address (IP), in the link lifetime. */
export const MAX_LINKS_PER_EMAIL = 5;
export const MAX_LINKS_PER_IP = 20;
/** A session ends after this long without use, and in any case after the absolute lifetime. */
export const SESSION_IDLE_DAYS = 14;
export const SESSION_ABSOLUTE_DAYS = 90;
/** How stale a session's last-seen time may get before a request refreshes it (spares writes). */
export const SESSION_TOUCH_MS = 5 * 60 * 1000;

/** A new secret token: 32 random bytes, base64url (43 characters). */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What is stored of a token: its SHA-256, hex. The token itself is never stored. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** True for a string that can be a token we issued (anything else is refused before a lookup). */
export function looksLikeToken(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9_-]{43}$/.test(value);
}

/** The CSRF token that goes with a session: derived from its secret, so nothing extra is stored. */
export function csrfTokenFor(sessionToken: string): string {
  return createHash('sha256').update(`csrf:${sessionToken}`).digest('base64url');
}

/**
 * A member code a partner can type or read from a card: 10 Crockford base32 characters in two
 * groups plus a check character (mod 37), e.g. `K7Q2M-9XD4H-T`.
 */
export function newMemberCode(): string {
  const body = randomCrockford(10);
  return `${body.slice(0, 5)}-${body.slice(5)}-${memberCheckCharacter(body)}`;
}

/** A household's invite code: 8 Crockford base32 characters, e.g. `7KQ2-M9XD` (any case, dash optional when typed). */
export function newInviteCode(): string {
  const code = randomCrockford(8);
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/** A typed invite code in its stored form, or undefined when it cannot be one. */
export function normalizeInviteCode(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const plain = value
    .trim()
    .toUpperCase()
    .replaceAll('-', '')
    .replaceAll('O', '0')
    .replace(/[IL]/g, '1');
  return /^[0-9A-HJKMNP-TV-Z]{8}$/.test(plain)
    ? `${plain.slice(0, 4)}-${plain.slice(4)}`
    : undefined;
}

/** Crockford's check symbol: the code's value mod 37. */
export const memberCheckCharacter = crockfordCheck;

/** True when a typed member code (any case, with or without dashes) is well-formed and its check holds. */
export function isValidMemberCode(code: string): boolean {
  const plain = code.toUpperCase().replaceAll('-', '');
  if (!/^[0-9A-HJKMNP-TV-Z]{10}[0-9A-HJKMNP-TV-Z*~$=U]$/.test(plain)) return false;
  return memberCheckCharacter(plain.slice(0, 10)) === plain[10];
}

/** A typed member code in its stored form (`XXXXX-XXXXX-C`), or undefined when it is not one. */
export function normalizeMemberCode(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const plain = value.trim().toUpperCase().replaceAll('-', '').replaceAll(' ', '');
  if (!isValidMemberCode(plain)) return undefined;
  return `${plain.slice(0, 5)}-${plain.slice(5, 10)}-${plain[10]}`;
}

/**
 * A ledger transfer as a movement of the wallet `accountId`: points in are positive, out
 * negative; points set aside for a voucher are `held`, and come back as `released` when the
 * hold is voided or runs out.
 */
export function walletMovement(transfer: Transfer, accountId: string): WalletMovement {
  const sign = transfer.creditAccountId === accountId ? 1 : -1;
  const released = transfer.phase === 'void' || transfer.phase === 'expire';
  return {
    id: transfer.id,
    at: transfer.createdAt,
    points: (released ? -sign : sign) * transfer.amount,
    code: transfer.code,
    reference: transfer.reference,
    status: transfer.phase === 'pending' ? 'held' : released ? 'released' : 'done',
  };
}

/** The address as we store and compare it: trimmed, lowercase; undefined if it is not one. */
export function normalizeEmail(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const email = value.trim().toLowerCase();
  if (email.length > 254 || !/^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/.test(email)) return undefined;
  return email;
}

export function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * 24 * 3600 * 1000);
}
